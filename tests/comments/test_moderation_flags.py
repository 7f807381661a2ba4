"""Readers flag comments (issue 5): once each, enough flags hold a comment, exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from comments.models import Comment, Flag, ModerationAction
from comments.moderation.flags import flag_create
from tests.comments.pages import plain, text, visible_controls
from tests.comments.races import run_all_at_once
from tests.factories import CommentFactory, PostFactory, UserFactory, established_readers
from tests.queue import queued, run_jobs

pytestmark = pytest.mark.django_db


def _flag_url(comment) -> str:
    return reverse("comments:flag", kwargs={"post_id": comment.post_id, "number": comment.number})


def _readers(count: int, prefix: str = "flagger", *, established: bool = True) -> list:
    """Readers whose flags count fully (an old account with a published comment) or not."""
    if established:
        return established_readers(count, prefix)
    return [UserFactory(username=f"{prefix}{i}") for i in range(count)]


# ─── The write function ──────────────────────────────────────────────────────


def test_a_reader_flags_a_comment_with_a_reason(post, reader):
    comment = CommentFactory(post=post)
    flag = flag_create(comment=comment, reader=reader, reason=Flag.Reason.ABUSE)
    assert (flag.comment, flag.reader, flag.reason, flag.outcome) == (
        comment,
        reader,
        Flag.Reason.ABUSE,
        Flag.Outcome.OPEN,
    )


def test_flagging_again_changes_nothing(post, reader):
    comment = CommentFactory(post=post)
    first = flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    again = flag_create(comment=comment, reader=reader, reason=Flag.Reason.ABUSE, note="Changed")
    assert again == first
    assert Flag.objects.get().reason == Flag.Reason.SPAM


def test_the_database_allows_one_flag_per_reader_and_comment(post, reader):
    comment = CommentFactory(post=post)
    Flag.objects.create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(comment=comment, reader=reader, reason=Flag.Reason.ABUSE)


def test_other_needs_a_note(post, reader):
    comment = CommentFactory(post=post)
    with pytest.raises(ValidationError) as refused:
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.OTHER)
    assert "note" in refused.value.message_dict


def test_nobody_flags_their_own_comment(post, reader):
    comment = CommentFactory(post=post, author=reader)
    with pytest.raises(ValidationError):
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)


def test_anonymous_visitors_cannot_flag(post):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        flag_create(comment=CommentFactory(post=post), reader=AnonymousUser(), reason="spam")


def test_a_hidden_comment_cannot_be_flagged(post, reader):
    comment = CommentFactory(post=post, pending=True)
    with pytest.raises(ValidationError):
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)


# ─── The threshold ───────────────────────────────────────────────────────────


def test_below_the_threshold_the_comment_stays_up(post):
    comment = CommentFactory(post=post)
    for flagger in _readers(2):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_the_third_reader_holds_the_comment_and_it_is_logged(client, post):
    comment = CommentFactory(post=post, body="Flag-worthy words")
    for flagger in _readers(3):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    logged = ModerationAction.objects.get()
    assert (logged.action, logged.is_automatic, logged.moderator) == ("hold", True, None)
    assert (logged.status_before, logged.status_after) == ("published", "pending")
    assert "Flag-worthy words" not in plain(client.get(post.get_absolute_url()))


def test_the_threshold_is_a_setting(settings, post):
    settings.COMMENTS_FLAG_THRESHOLD = 1
    comment = CommentFactory(post=post)
    flag_create(comment=comment, reader=_readers(1)[0], reason=Flag.Reason.SPAM)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_flags_a_moderator_dismissed_no_longer_count(post, moderator):
    from comments.moderation.actions import flags_dismiss

    comment = CommentFactory(post=post)
    for flagger in _readers(2):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    flags_dismiss(comment=comment, moderator=moderator)
    flag_create(comment=comment, reader=_readers(1, "late")[0], reason=Flag.Reason.ABUSE)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_moderators_are_emailed_when_flags_hold_a_comment(post, moderator):
    """Issue 12: the alert is a job queued with the hold, sent once by the worker."""
    comment = CommentFactory(post=post)
    for flagger in _readers(3):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert not mail.outbox
    held = ModerationAction.objects.get(action=ModerationAction.Action.HOLD)
    assert {"comment_id": comment.pk, "action_id": held.pk} in [
        job["args"] for job in queued("comments.moderators_alert")
    ]
    run_jobs()
    alerts = [m for m in mail.outbox if "held after flags" in m.subject]
    assert len(alerts) == 1
    assert alerts[0].to == [moderator.email]
    assert f"#{comment.number}" in alerts[0].subject


def _status(comment) -> str:
    comment.refresh_from_db()
    return comment.status


def test_three_fresh_accounts_cannot_hold_a_comment(post):
    """Issue 8: three accounts made a minute ago could hold any comment."""
    comment = CommentFactory(post=post)
    for flagger in _readers(3, "fresh", established=False):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PUBLISHED


def test_three_fresh_flags_weigh_as_much_as_one_established(post):
    comment = CommentFactory(post=post)
    for flagger in _readers(2):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    fresh = _readers(3, "fresh", established=False)
    for flagger in fresh[:2]:
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PUBLISHED
    flag_create(comment=comment, reader=fresh[2], reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PENDING


def test_an_old_account_that_never_had_a_comment_published_counts_a_third(post):
    comment = CommentFactory(post=post)
    lurkers = _readers(3, "lurker", established=False)
    User.objects.filter(pk__in=[r.pk for r in lurkers]).update(
        date_joined=timezone.now() - timedelta(days=365)
    )
    for flagger in lurkers:
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PUBLISHED


def test_a_new_account_with_a_published_comment_counts_a_third(post):
    comment = CommentFactory(post=post)
    for flagger in _readers(3, "newcomer", established=False):
        CommentFactory(post=post, author=flagger)
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PUBLISHED


def test_a_staff_flag_counts_fully_from_a_new_account(post):
    comment = CommentFactory(post=post)
    for flagger in _readers(2):
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    staff = UserFactory(username="newstaff", is_staff=True)
    flag_create(comment=comment, reader=staff, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PENDING


def test_the_full_weight_age_is_a_setting(settings, post):
    settings.COMMENTS_FLAG_FULL_WEIGHT_DAYS = 0
    comment = CommentFactory(post=post)
    for flagger in _readers(3, "newcomer", established=False):
        CommentFactory(post=post, author=flagger)
        flag_create(comment=comment, reader=flagger, reason=Flag.Reason.ABUSE)
    assert _status(comment) == Comment.Status.PENDING


# ─── The daily cap ───────────────────────────────────────────────────────────


def test_a_reader_may_flag_only_so_many_comments_a_day(settings, post, reader):
    """Issue 8: one reader flagged 36 comments in a row."""
    settings.COMMENTS_FLAGS_PER_DAY = 3
    comments = CommentFactory.create_batch(4, post=post)
    for comment in comments[:3]:
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    with pytest.raises(ValidationError) as refused:
        flag_create(comment=comments[3], reader=reader, reason=Flag.Reason.SPAM)
    assert "You have flagged 3 comments in the last 24 hours" in refused.value.messages[0]
    assert "you can flag again from" in refused.value.messages[0]
    assert Flag.objects.filter(reader=reader).count() == 3


def test_the_daily_cap_frees_up_a_day_after_the_first_flag(settings, post, reader):
    settings.COMMENTS_FLAGS_PER_DAY = 2
    comments = CommentFactory.create_batch(3, post=post)
    for comment in comments[:2]:
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    Flag.objects.filter(comment=comments[0]).update(created_at=timezone.now() - timedelta(hours=25))
    flag_create(comment=comments[2], reader=reader, reason=Flag.Reason.SPAM)
    assert Flag.objects.filter(reader=reader).count() == 3


def test_flagging_the_same_comment_again_at_the_cap_changes_nothing(settings, post, reader):
    settings.COMMENTS_FLAGS_PER_DAY = 1
    comment = CommentFactory(post=post)
    first = flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    assert flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM) == first


def test_moderators_have_no_daily_cap(settings, post, moderator):
    settings.COMMENTS_FLAGS_PER_DAY = 1
    for comment in CommentFactory.create_batch(3, post=post):
        flag_create(comment=comment, reader=moderator, reason=Flag.Reason.SPAM)
    assert Flag.objects.filter(reader=moderator).count() == 3


def test_the_flag_page_past_the_cap_answers_400_with_the_reason(settings, client, post, reader):
    settings.COMMENTS_FLAGS_PER_DAY = 1
    first, second = CommentFactory.create_batch(2, post=post)
    flag_create(comment=first, reader=reader, reason=Flag.Reason.SPAM)
    client.force_login(reader)
    response = client.post(_flag_url(second), {"reason": "spam"})
    assert response.status_code == 400
    assert "You have flagged 1 comment in the last 24 hours" in text(response)
    assert not Flag.objects.filter(comment=second).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_flaggers_hold_the_comment_exactly_once():
    """Twelve readers flag at once with a threshold of 3: one hold, one log row, twelve flags."""
    post = PostFactory(slug="flag-race")
    comment = CommentFactory(post=post)

    def flag(reader):
        def send():
            try:
                return flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
            except ValidationError:
                return None  # flagged after the hold: the comment is no longer shown

        return send

    results = run_all_at_once(
        lambda: Comment.objects.select_for_update().get(pk=comment.pk),
        [flag(reader) for reader in _readers(12, "racer")],
        workers=12,
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert ModerationAction.objects.filter(action="hold", comment=comment).count() == 1
    assert Flag.objects.filter(comment=comment).count() == sum(r is not None for r in results)
    assert Flag.objects.filter(comment=comment).count() >= 3


@pytest.mark.django_db(transaction=True)
def test_one_reader_flagging_twice_at_once_leaves_one_flag():
    post = PostFactory(slug="flag-double")
    comment = CommentFactory(post=post)
    reader = UserFactory(username="double")

    def flag():
        return flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM).pk

    ids = run_all_at_once(
        lambda: Comment.objects.select_for_update().get(pk=comment.pk), [flag, flag], workers=2
    )
    assert len(set(ids)) == 1
    assert Flag.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_readers_flags_sent_at_once_stop_at_the_daily_cap(settings):
    """Issue 8: the cap holds when a reader's flags on different comments race.

    Each flag waits for its own comment's lock, so only a lock on the reader
    makes them count one after the other.
    """
    settings.COMMENTS_FLAGS_PER_DAY = 3
    post = PostFactory(slug="flag-cap-race")
    comments = CommentFactory.create_batch(8, post=post)
    reader = UserFactory(username="eager")

    def flag(comment):
        def send():
            try:
                return flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
            except ValidationError as error:
                return error.code

        return send

    outcomes = run_all_at_once(
        lambda: list(Comment.objects.select_for_update().filter(post=post)),
        [flag(comment) for comment in comments],
        workers=8,
    )
    assert Flag.objects.filter(reader=reader).count() == 3
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["flags_per_day"] * 5


# ─── The flag page and link ──────────────────────────────────────────────────


def test_signed_in_readers_see_a_flag_link_on_others_comments(client, post, reader):
    others = CommentFactory(post=post)
    mine = CommentFactory(post=post, author=reader)
    client.force_login(reader)
    seen = visible_controls(client, client.get(post.get_absolute_url()))
    assert "flag" in seen.get(others.number, set())
    assert "flag" not in seen.get(mine.number, set())


def test_anonymous_readers_see_no_flag_link_even_after_a_reader_warmed_the_cache(post, reader):
    CommentFactory(post=post)
    signed_in = Client()
    signed_in.force_login(reader)
    signed_in.get(post.get_absolute_url())
    anonymous = Client()
    assert visible_controls(anonymous, anonymous.get(post.get_absolute_url())) == {}


def test_the_flag_page_asks_anonymous_visitors_to_sign_in(client, post):
    comment = CommentFactory(post=post)
    response = client.get(_flag_url(comment))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_reader_flags_through_the_page_without_javascript(client, post, reader):
    comment = CommentFactory(post=post)
    client.force_login(reader)
    assert client.get(_flag_url(comment)).status_code == 200
    response = client.post(_flag_url(comment), {"reason": "off_topic"}, follow=True)
    assert Flag.objects.get().reason == Flag.Reason.OFF_TOPIC
    assert "Moderators will look at comment" in text(response)


def test_flagging_other_without_a_note_answers_400(client, post, reader):
    comment = CommentFactory(post=post)
    client.force_login(reader)
    response = client.post(_flag_url(comment), {"reason": "other", "note": ""})
    assert response.status_code == 400
    assert "Say in a few words" in text(response)
    assert not Flag.objects.exists()


def test_flagging_with_a_made_up_reason_answers_400(client, post, reader):
    comment = CommentFactory(post=post)
    client.force_login(reader)
    assert client.post(_flag_url(comment), {"reason": "boring"}).status_code == 400


def test_flagging_ones_own_comment_answers_400(client, post, reader):
    comment = CommentFactory(post=post, author=reader)
    client.force_login(reader)
    response = client.post(_flag_url(comment), {"reason": "spam"})
    assert response.status_code == 400
    assert "your own comment" in text(response)


def test_the_flag_page_of_a_hidden_comment_is_404(client, post, reader):
    comment = CommentFactory(post=post, removed=True)
    client.force_login(reader)
    assert client.get(_flag_url(comment)).status_code == 404


def test_the_flag_page_says_when_the_reader_already_flagged(client, post, reader):
    comment = CommentFactory(post=post)
    flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    client.force_login(reader)
    assert "You flagged this comment" in text(client.get(_flag_url(comment)))


# ─── My standing ─────────────────────────────────────────────────────────────


def test_standing_shows_my_flags_and_what_became_of_them(client, post, reader, moderator):
    from comments.moderation.actions import comment_remove

    comment = CommentFactory(post=post)
    flag_create(comment=comment, reader=reader, reason=Flag.Reason.ABUSE)
    comment_remove(comment=comment, moderator=moderator, reason="Abusive")
    client.force_login(reader)
    page = plain(client.get(reverse("comments:standing")))
    assert f"#{comment.number} on {post.title}" in page
    assert "A moderator took the comment down" in page


def test_standing_shows_my_removed_comments_with_the_reason(client, post, reader, moderator):
    from comments.moderation.actions import comment_remove

    comment = CommentFactory(post=post, author=reader)
    comment_remove(comment=comment, moderator=moderator, reason="Off-topic rant")
    client.force_login(reader)
    page = plain(client.get(reverse("comments:standing")))
    assert "Removed by a moderator — Off-topic rant" in page


def test_standing_shows_a_ban_with_its_end(client, reader, moderator):
    from comments.moderation.actions import user_ban

    user_ban(user=reader, moderator=moderator, reason="Spamming", days=7)
    client.force_login(reader)
    page = plain(client.get(reverse("comments:standing")))
    assert "You are banned from commenting until" in page
    assert "Spamming" in page


def test_standing_never_tells_of_a_shadow_ban(client, post, reader, moderator):
    from comments.moderation.actions import user_ban

    user_ban(user=reader, moderator=moderator, reason="Spamming", days=7, is_shadow=True)
    CommentFactory(post=post, author=reader)
    client.force_login(reader)
    page = plain(client.get(reverse("comments:standing")))
    assert "banned" not in page
    assert "Spamming" not in page


def test_standing_needs_signing_in(client):
    assert client.get(reverse("comments:standing")).status_code == 302


def test_a_new_flag_shows_on_the_moderators_cached_page(
    post, reader, moderator, django_capture_on_commit_callbacks
):
    comment = CommentFactory(post=post)
    watching = Client()
    watching.force_login(moderator)
    assert "Flagged by" not in watching.get(post.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        flag_create(comment=comment, reader=reader, reason=Flag.Reason.SPAM)
    page = watching.get(post.get_absolute_url()).content.decode()
    assert "Flagged by 1 reader: Spam or advertising" in page
