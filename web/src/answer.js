// How the widget lays out an assistant's answer: each line a block; the first line of an
// answer of several lines is the answer itself (the assistant always says it first) and
// is emphasised; a back-office path (巨量百应 › … › …) is shown as its steps.

const SEPARATOR = ' › ';
// 「建议您改为添加本店商品，路径：巨量百应 › 达人工作台 › 橱窗管理。」, 「操作路径：巨量百应 › …」;
// several paths are joined by 「，或 」.
const PATH_LINE = /^(?:(.*?)，)?((?:操作)?路径)：(巨量百应.*?)。?$/;
const PATH = /^巨量百应(?: › [^。，；：]+)+$/;

/**
 * The blocks of an answer's text, in order:
 * {kind: 'answer' | 'line', text} or {kind: 'path', text, label, paths} (each path its steps).
 * @param {string} text  the message as the assistant sent it (lines split by \n)
 */
export function answerBlocks(text) {
  const lines = String(text).split('\n').filter((line) => line.trim());
  return lines.map((line, position) => {
    const found = PATH_LINE.exec(line);
    const paths = found ? found[3].split('，或 ') : [];
    if (paths.length && paths.every((path) => PATH.test(path))) {
      return { kind: 'path', text: found[1] || '', label: found[2], paths: paths.map((path) => path.split(SEPARATOR)) };
    }
    return { kind: position === 0 && lines.length > 1 ? 'answer' : 'line', text: line };
  });
}
