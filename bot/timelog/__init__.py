"""The evening time log: the prompt and its reminder, the Log hours modal, Same as yesterday,
Day off, plain-words DMs, pause and resume."""
