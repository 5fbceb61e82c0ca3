"""`python -m training push` and `python -m training deploy-space`: arguments in, training/outputs/hub.py does the rest."""

from __future__ import annotations

import argparse
from pathlib import Path

from training.errors import UserError
from training.outputs.hub import deploy_space, push_checkpoint


def push_main(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m training push",
                                     description="Upload a checkpoint folder to the Hugging Face Hub in one commit.")
    parser.add_argument("checkpoint", help="checkpoint folder, e.g. models/beans-mobilenet-head")
    parser.add_argument("--repo-id", required=True, help="owner/name of the model repository")
    parser.add_argument("--private", action="store_true", help="create the repository as private")
    parser.add_argument("--commit-message", default=None)
    parser.add_argument("--license", default=None,
                        help="license id for the card's metadata, e.g. apache-2.0 (check the base model's)")
    args = parser.parse_args(argv)
    info = push_checkpoint(Path(args.checkpoint), args.repo_id, private=args.private,
                           commit_message=args.commit_message, license=args.license)
    print(f"pushed {args.checkpoint} to {info.repo_url} (commit {info.oid[:8]})")
    return 0


def deploy_space_main(argv: list[str]) -> int:
    parser = ArgumentParser(prog="python -m training deploy-space",
                                     description="Create or update this app as a Gradio Space (one commit).")
    parser.add_argument("--repo-id", required=True, help="owner/name of the Space")
    parser.add_argument("--beans-model", default=None, help="Hub id of the bean-leaf classifier")
    parser.add_argument("--sentiment-model", default=None, help="Hub id of the sentiment classifier")
    parser.add_argument("--lang", default=None, choices=["es", "en"], help="UI language of the Space")
    parser.add_argument("--private", action="store_true", help="create the Space as private")
    args = parser.parse_args(argv)
    info = deploy_space(args.repo_id, beans_model=args.beans_model, sentiment_model=args.sentiment_model,
                        private=args.private, lang=args.lang)
    print(f"deployed the app to {info.repo_url} (commit {info.oid[:8]})")
    return 0


class ArgumentParser(argparse.ArgumentParser):
    """argparse whose usage errors are a UserError (one line, exit 2) instead of usage text + exit."""

    def error(self, message: str):
        raise UserError(f"{self.prog}: {message}")
