"""Whose token pushes a visitor's model to the Hub: the visitor's, never the server's.

On a Space whose README asks for `hf_oauth: true` (`python -m training deploy-space` writes it, with the
scopes a push needs), Spaces set OAUTH_VARIABLES; the share step then shows "Sign in with Hugging Face"
(gr.LoginButton) and a push uses the visitor's own OAuth token, into their own namespace when the repo is
given without one. Anywhere else, SPACE_ID set or not, there is no login button (off a Space, Gradio "logs
in" every visitor with the server's own saved token: studio/visitors.py space_login) and the visitor types
a token. Either way the server's HF_TOKEN and saved login never reach a visitor's push (studio/train/push.py
strips them from the child's environment): an empty token field is refused. The operator's CLI, `python -m training push`, still uses HF_TOKEN.
"""

from __future__ import annotations

import gradio as gr

from contract.errors import KeyedError
from studio.i18n import t
from studio.visitors import space_login


def login_button() -> gr.LoginButton | None:
    """The sign-in button, on a Space with OAuth only."""
    if not space_login():
        return None
    return gr.LoginButton(value=t("train.share.login"), logout_value=t("train.share.logout"))


def visitor_push(typed_token: str | None, repo_id: str | None, login: gr.OAuthToken | None = None,
                 profile: gr.OAuthProfile | None = None) -> tuple[str, str]:
    """(token, repo id) of a visitor's push: their login's token (a bare repo name goes to their namespace),
    else the token they typed; a KeyedError when there is neither."""
    repo = (repo_id or "").strip()
    if login is not None and login.token:
        if profile is not None and repo and "/" not in repo:
            repo = f"{profile.username}/{repo}"
        return login.token, repo
    token = (typed_token or "").strip()
    if not token:
        raise KeyedError("train.share.no_token_space" if space_login() else "train.share.no_token")
    return token, repo
