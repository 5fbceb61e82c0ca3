"""The studio for agents: its classifiers as Model Context Protocol tools (tools.py).

`python app.py` serves Gradio's MCP endpoint at /gradio_api/mcp/ beside the web page and its API; the
tools are the tabs' own events (the same checks, limits, queue and answers), under names an agent can
pick from a list, and only those: training, uploads, reviews and status events are not tools.
"""
