import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerBlocks } from '../src/answer.js';

describe('answerBlocks', () => {
  test('the first line of an answer is the answer; a path is its steps', () => {
    const text = '不能。您个体店的授权号在橱窗只能添加本店商品。\n这条限制已经全面生效。\n建议您改为添加本店商品，路径：巨量百应 › 达人工作台 › 橱窗管理。';
    assert.deepEqual(answerBlocks(text), [
      { kind: 'answer', text: '不能。您个体店的授权号在橱窗只能添加本店商品。' },
      { kind: 'line', text: '这条限制已经全面生效。' },
      { kind: 'path', text: '建议您改为添加本店商品', label: '路径', paths: [['巨量百应', '达人工作台', '橱窗管理']] },
    ]);
  });

  test('a labelled path alone, and a message of one line', () => {
    assert.deepEqual(answerBlocks('操作路径：巨量百应 › 达人工作台 › 短视频管理'), [
      { kind: 'path', text: '', label: '操作路径', paths: [['巨量百应', '达人工作台', '短视频管理']] },
    ]);
    assert.deepEqual(answerBlocks('请问您的店铺是哪种类型？'), [{ kind: 'line', text: '请问您的店铺是哪种类型？' }]);
  });

  test('each of several paths is its steps; a line that only looks like one stays text', () => {
    const two = '建议您改为添加本店商品，路径：巨量百应 › 达人工作台 › 橱窗管理，或 巨量百应 › 达人工作台 › 精选联盟 › 选品广场。';
    assert.deepEqual(answerBlocks(`不能。\n${two}`)[1].paths, [
      ['巨量百应', '达人工作台', '橱窗管理'],
      ['巨量百应', '达人工作台', '精选联盟', '选品广场'],
    ]);
    const places = '操作路径（巨量百应 › 达人工作台）：直播间在 直播管理；橱窗在 橱窗管理';
    assert.deepEqual(answerBlocks(places), [{ kind: 'line', text: places }]);
  });
});
