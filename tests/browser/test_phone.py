"""On a phone (390 x 844) and to a screen reader (issue 19): every tab reachable, every input and image named.

Chromium's accessibility tree (Playwright's ARIA snapshot) is what a screen reader reads: an image, a text
field or a slider without a name there is announced as "image" or "edit text" and nothing more.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import ARTIFACTS

PHONE = {"width": 390, "height": 844}
TAB_KEYS = ("beans.tab", "sentiment.tab", "playground.tab", "train.tab")
# ARIA roles of what a visitor reads or fills in: each needs a name.
NAMED_ROLES = ("img", "textbox", "combobox", "slider", "spinbutton", "checkbox", "radio", "listbox")
UNNAMED = re.compile(rf"^\s*- ({'|'.join(NAMED_ROLES)})(\s*\[[^\]]*\])?:?\s*$")


def unnamed(snapshot: str) -> list[str]:
    """Lines of an ARIA snapshot that are a role of NAMED_ROLES with no name (`- img` instead of `- img "x"`)."""
    return [line.strip() for line in snapshot.splitlines() if UNNAMED.match(line)]


def test_unnamed_finds_what_a_screen_reader_cannot_name():
    snapshot = '- img "Hoja"\n- img\n  - textbox "Texto"\n- textbox\n- slider [disabled]\n- button "x"'
    assert unnamed(snapshot) == ["- img", "- textbox", "- slider [disabled]"]


def test_every_tab_is_reachable_on_a_phone_and_everything_is_named(serve_app, chromium_browser, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "es"})
    from studio.i18n import t

    tabs = [t(key, lang="es") for key in TAB_KEYS]
    context = chromium_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(url)
        for name in tabs:  # on the page itself, none hidden behind the "•••" overflow menu
            expect(page.get_by_role("tab", name=name)).to_be_visible()
        found = {}
        for number, name in enumerate(tabs):
            page.get_by_role("tab", name=name).tap()
            expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
            page.wait_for_timeout(500)
            panel = page.get_by_role("tabpanel").filter(visible=True).first
            found[name] = unnamed(panel.aria_snapshot())
            page.screenshot(path=str(ARTIFACTS / f"phone-{number}.png"), full_page=True)
        assert found == {name: [] for name in tabs}
        # the bean examples' thumbnails are named after their true label
        page.get_by_role("tab", name=tabs[0]).tap()
        expect(page.get_by_role("img", name=re.compile("Roya del frijol")).first).to_be_attached()
    finally:
        context.close()
