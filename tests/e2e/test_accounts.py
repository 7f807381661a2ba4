"""A reader signs up, follows the email link, signs in and edits the profile with a picture.

gunicorn runs in its own process with its own secret key and console email, so
the test builds the confirmation link with the server's key through the same
function the server's email uses (the email itself is tested with locmem mail).
"""

import io
import re

import pytest
from django.test import override_settings
from PIL import Image

from accounts.models import User
from accounts.registration import confirmation_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERVER_SECRET_KEY = "e2e-only-" + "x" * 50  # as tests/e2e/conftest.py starts gunicorn
PASSWORD = "violet tram harbour 1987"


def _portrait_png() -> bytes:
    image = Image.new("RGB", (320, 240), (30, 120, 200))
    image.paste(Image.new("RGB", (120, 120), (250, 200, 40)), (100, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_sign_up_confirm_sign_in_and_edit_profile_with_a_picture(page, gunicorn_server):
    page.goto(gunicorn_server + "/accounts/signup/")
    page.fill("input[name=display_name]", "Marisol Vega")
    page.fill("input[name=email]", "marisol@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/accounts/signup/done/")
    assert "marisol@example.org" in page.locator("main").inner_text()

    user = User.objects.get(email="marisol@example.org")
    assert not user.can_comment
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        token = confirmation_token(user, user.email)
    page.goto(f"{gunicorn_server}/accounts/confirm/{token}/")
    page.wait_for_url("**/accounts/login/")
    assert "is confirmed" in page.locator(".messages").inner_text()
    user.refresh_from_db()
    assert user.can_comment

    page.fill("input[name=username]", "marisol@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(gunicorn_server + "/")
    assert "Marisol Vega" in page.locator(".site-nav__user").inner_text()

    page.goto(gunicorn_server + "/accounts/profile/")
    page.fill("input[name=display_name]", "Marisol V.")
    page.fill("textarea[name=bio]", "I read the *budget* so you don't have to.")
    page.set_input_files(
        "input[name=avatar]",
        {"name": "me.png", "mimeType": "image/png", "buffer": _portrait_png()},
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/accounts/people/marisol-vega/$"))
    assert page.locator("h1").inner_text() == "Marisol V."
    assert page.locator(".profile-bio em").inner_text() == "budget"
    picture = page.locator(".profile-header img.avatar")
    assert "/media/avatars/" in picture.get_attribute("src")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 192", arg=picture.element_handle()
    )


def test_a_look_alike_name_is_refused_in_the_browser(page, gunicorn_server):
    User.objects.create_user(username="jen", display_name="Jen", email="jen@example.org")
    page.goto(gunicorn_server + "/accounts/signup/")
    page.fill("input[name=display_name]", "J\u0435n")  # Cyrillic е
    page.fill("input[name=email]", "other@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    assert "already used by another reader" in page.locator("form.auth-form").inner_text()
    assert not User.objects.filter(email="other@example.org").exists()
