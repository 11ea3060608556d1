"""UI-TARS, a second model family: ``Thought: ... Action: click(start_box='(x,y)')`` answers.

Built only on the family-neutral plumbing (``screenpilot.model.coords``,
``screenpilot.model.imaging``, ``screenpilot.model.http_options``, the chat backends);
nothing here imports the Qwen family.
"""
