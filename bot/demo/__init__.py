"""`rolesplit demo`: the real app against a local simulated Slack workspace, as one web page.

model.py (what the workspace holds) · webapi.py (the Web API the app calls) · mrkdwn.py and
blocks.py (Block Kit to HTML) · elements.py (clicks and form state in Slack's shapes) ·
driver.py (signed requests to the app's /slack/events, as Slack sends them) · page.py (the
page) · seed.py (the sample agency) · server.py (one loopback server for all of it).
"""

from bot.demo.main import serve

__all__ = ["serve"]
