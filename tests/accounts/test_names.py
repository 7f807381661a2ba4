"""Names are reserved: the canonical form, refusals, and who holds which name (issue 4)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import FormerName, GuestName, User
from accounts.names import MAX_NAME_LENGTH, canonical_name, clean_display_name, skeleton
from accounts.taken_names import name_is_reserved, username_for
from tests.factories import UserFactory

# ─── The canonical form: pure, no database ───────────────────────────────────

SAME_NAME = [
    ("Jen", "jen"),
    ("Jen", " Jen "),
    ("Jen", "J.en"),
    ("Jen", "J\u0435n"),  # Cyrillic е
    ("Jen", "\u0408en"),  # Cyrillic Ј
    ("Jen", "JEN"),
    ("Jen", "J e n"),
    ("Jen", "Jen!"),
    ("Jen", "jen_"),
    ("Jen", "J-e-n"),
    ("Jen", "\uff2a\uff45\uff4e"),  # fullwidth Ｊｅｎ
    ("Jen", "\U0001d409\U0001d41e\U0001d427"),  # mathematical bold 𝐉𝐞𝐧
    ("Jen", "J\u00a0en"),  # no-break space
    ("Jen", "J\u3000en"),  # ideographic space
    ("Steve", "\u0405t\u0435v\u0435"),  # Cyrillic Ѕ and е
    ("Steve", "STEVE"),
    ("Olive", "0live"),  # digit zero
    ("Ian", "lan"),  # capital I is drawn like small l
    ("Bill", "B1ll"),
    ("Bill", "BiII"),
    ("Jim", "Jirn"),  # rn looks like m
    ("Anna", "\u0410nn\u0430"),  # Cyrillic А and а
    ("AHHA", "\u0410\u041d\u041d\u0410"),  # Cyrillic АННА looks like AHHA
    ("\u0410\u043d\u043d\u0430", "\u0410\u041d\u041d\u0410"),  # Анна / АННА: same name, two cases
    ("Straße", "STRASSE"),
    ("Paul", "\u0420aul"),  # Cyrillic Р
    ("Chloe", "\u0421hloe"),  # Cyrillic С
    ("Mary Ann", "MaryAnn"),
    ("Mary Ann", "mary-ann"),
    ("O'Brien", "OBrien"),
    ("Renée", "Rene\u0301e"),  # precomposed é and e + combining acute
    ("x", "\u0445"),  # Cyrillic х
]

DIFFERENT_NAMES = [
    ("Jen", "Jan"),
    ("Jen", "Jen2"),
    ("Jen", "Jenny"),
    ("Steve", "Steven"),
    ("Anna", "Hanna"),
    ("José", "Jose"),
    ("Renée", "Renee"),
    ("Ø", "O"),
    ("Jen", "Jen Smith"),
    ("Пётр", "Петр"),  # ё and е differ by their dots
    ("Alex", "Alexa"),
    ("Marie", "Maria"),
]


@pytest.mark.parametrize(("first", "second"), SAME_NAME)
def test_names_readers_could_not_tell_apart_share_a_canonical_form(first, second):
    assert canonical_name(first) == canonical_name(second)


@pytest.mark.parametrize(("first", "second"), DIFFERENT_NAMES)
def test_names_readers_can_tell_apart_keep_distinct_canonical_forms(first, second):
    assert canonical_name(first) != canonical_name(second)


def test_the_pair_table_is_at_least_thirty_pairs():
    assert len(SAME_NAME) + len(DIFFERENT_NAMES) >= 30


def test_canonical_form_of_punctuation_only_is_empty():
    assert canonical_name("...!?") == ""


def test_canonical_form_ignores_zero_width_characters():
    assert canonical_name("J\u200ben") == canonical_name("Jen")


def test_skeleton_follows_unicode_tr39():
    assert skeleton("\u0430") == "a"  # Cyrillic а → Latin a
    assert skeleton("m") == "rn"


# ─── Refusals ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Jen\u202eevets", "bidi"),  # right-to-left override
        ("Jen\u2066x\u2069", "bidi"),  # isolates
        ("Je\u200bn", "zero_width"),
        ("Je\u200dn", "zero_width"),
        ("Jen\x07", "control_characters"),
        ("Jen\x00", "control_characters"),
        ("Je\u00adn", "control_characters"),  # soft hyphen (format character)
        ("Jen\u2800", "invisible"),  # braille blank
        ("Jen\u3164", "invisible"),  # Hangul filler
        ("...", "no_letters"),
        ("!!! ???", "no_letters"),
        ("★★", "no_letters"),
        ("", "required"),
        ("   ", "required"),
        ("J", "too_short"),
        ("x" * (MAX_NAME_LENGTH + 1), "too_long"),
        ("Je\u0301\u0302\u0303\u0304n", "marks"),
        ("\ud800Jen", "surrogates"),
    ],
)
def test_deceptive_or_empty_names_are_refused_with_a_reason(name, code):
    with pytest.raises(ValidationError) as refused:
        clean_display_name(name)
    assert refused.value.code == code
    assert refused.value.messages[0]


def test_accepted_names_come_back_with_spacing_tidied():
    assert clean_display_name("  Mary   Ann  ") == "Mary Ann"


def test_names_in_other_scripts_are_welcome():
    assert clean_display_name("Пётр Ильич") == "Пётр Ильич"
    assert clean_display_name("李小龙") == "李小龙"


def test_longest_allowed_name_is_accepted():
    assert clean_display_name("x" * MAX_NAME_LENGTH) == "x" * MAX_NAME_LENGTH


# ─── Who holds a name ────────────────────────────────────────────────────────


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Jen Smith", "jen smith", "J.en Smith", "J\u0435n Smith"])
def test_an_accounts_display_name_and_look_alikes_are_reserved(typed):
    UserFactory(username="jsmith", display_name="Jen Smith")
    assert name_is_reserved(typed)


@pytest.mark.django_db
def test_an_accounts_username_is_reserved():
    UserFactory(username="jsmith", display_name="Jen Smith")
    assert name_is_reserved("JSmith")


@pytest.mark.django_db
def test_a_name_is_not_reserved_against_its_own_account():
    user = UserFactory(username="jsmith", display_name="Jen Smith")
    assert not name_is_reserved("jen smith", for_user=user)


@pytest.mark.django_db
def test_unused_names_are_free():
    UserFactory(username="jsmith", display_name="Jen Smith")
    assert not name_is_reserved("Jan Smith")


@pytest.mark.django_db
def test_a_former_name_stays_reserved_while_held():
    user = UserFactory(username="newname", display_name="New Name")
    FormerName.objects.create(
        user=user,
        name="Old Name",
        name_key=canonical_name("Old Name"),
        held_until=timezone.now() + timedelta(days=10),
    )
    assert name_is_reserved("old name")
    assert not name_is_reserved("old name", for_user=user)


@pytest.mark.django_db
def test_a_former_name_is_free_once_its_hold_ends():
    user = UserFactory(username="newname", display_name="New Name")
    FormerName.objects.create(
        user=user,
        name="Old Name",
        name_key=canonical_name("Old Name"),
        held_until=timezone.now() - timedelta(seconds=1),
    )
    assert not name_is_reserved("Old Name")


@pytest.mark.django_db
def test_a_guest_name_confirmed_with_an_email_is_reserved_for_that_email():
    GuestName.objects.create(
        name="Steve", name_key=canonical_name("Steve"), email="steve@example.net",
        confirmed_at=timezone.now(),
    )  # fmt: skip
    assert name_is_reserved("steve")
    assert name_is_reserved("St\u0435ve", for_email="other@example.net")
    assert not name_is_reserved("Steve", for_email="Steve@Example.net")


@pytest.mark.django_db
def test_an_unconfirmed_guest_name_reserves_nothing():
    GuestName.objects.create(name="Steve", name_key="steve", email="steve@example.net")
    assert not name_is_reserved("Steve")


@pytest.mark.django_db
def test_name_check_is_one_query(django_assert_num_queries):
    UserFactory(username="jsmith", display_name="Jen Smith")
    with django_assert_num_queries(1):
        name_is_reserved("Jen Smith")


# ─── The database enforces it ────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_database_refuses_two_accounts_with_look_alike_names():
    UserFactory(username="first", display_name="Jen")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="second", display_name="J\u0435N")


@pytest.mark.django_db
def test_the_database_refuses_two_accounts_with_one_email_in_different_case():
    UserFactory(username="first", email="jen@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="second", email="JEN@example.org")


@pytest.mark.django_db
def test_name_key_follows_a_display_name_saved_with_update_fields():
    user = UserFactory(username="first", display_name="Jen")
    user.display_name = "Jenny"
    user.save(update_fields=["display_name"])
    user.refresh_from_db()
    assert user.name_key == canonical_name("Jenny")


@pytest.fixture
def without_uniqueness(db):
    """The accounts table as it was before the name and email constraints (rolled back after)."""
    constraints = [c for c in User._meta.constraints if c.name.startswith("user_")]
    with connection.schema_editor() as editor:
        for constraint in constraints:
            editor.remove_constraint(User, constraint)


def test_data_migration_fills_keys_and_renames_look_alike_accounts(without_uniqueness, capsys):
    now = timezone.now()
    older = UserFactory(username="older", display_name="Jen", date_joined=now)
    newer = UserFactory(username="newer", display_name="J.EN", date_joined=now + timedelta(1))
    first = UserFactory(username="first", email="same@example.org", date_joined=now)
    second = UserFactory(
        username="second", email="SAME@example.org", date_joined=now + timedelta(1)
    )
    User.objects.update(name_key="", username_key="")
    migration = importlib.import_module("accounts.migrations.0003_fill_name_keys")
    migration.fill_name_keys(apps, None)
    for user in (older, newer, first, second):
        user.refresh_from_db()
    assert (older.display_name, older.name_key) == ("Jen", "jen")
    assert newer.display_name == "J.EN 2"
    assert newer.name_key == canonical_name("J.EN 2")
    assert (first.email, second.email) == ("same@example.org", "")
    assert "renamed" in capsys.readouterr().out


@pytest.mark.django_db
def test_usernames_for_new_accounts_avoid_taken_ones():
    UserFactory(username="jen-smith", display_name="Someone Else")
    assert username_for("Jen Smith") == "jen-smith-2"
