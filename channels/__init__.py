"""Input channels of the Rasa server (named in credentials.yml)."""
