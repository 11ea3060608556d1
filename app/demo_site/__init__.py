"""Pages bundled with screenpilot (a sign-in page and a dashboard), and tasks that work on
them and on the fake environment's app with the offline policy: what ``screenpilot demo``
and the web UI start with."""

DEMO_TASK = (
    'Type "ada" into User name, type "lovelace" into Password, check "Keep me signed in" '
    'and click Sign in, then wait until "Welcome, ada" appears, open the Orders tab, '
    'wait until "open orders" appears and answer "signed in as ada"'
)
"""The demo's task on ``login.html``: sign in, open a tab, answer."""

FAKE_TASK = 'type "alice" into Username, type "wonderland" into Password and click Sign in'
"""Signing in to the fake environment's built-in app."""

SIGN_IN_TASK = (
    'Type "ada" into User name, type "lovelace" into Password and click Sign in, '
    'then wait until "Welcome, ada" appears'
)
"""The first half of :data:`DEMO_TASK`: what the web UI's run form starts with."""
