"""The moderation queue's review view: what needs a decision first, one button per decision.

- The comment list opens on what needs review (held or flagged), oldest first;
  any other filter or a search widens it to every comment.
- Each row carries Approve and Remove buttons, plain submit buttons of the list's
  own form (so Tab reaches them and Enter or Space presses them); Remove takes the
  reason typed in the action bar, else the readers' flag reasons, else a standard one.
- Moderators search by name, email or address; an address or network
  (203.0.113.7, 2001:db8::/32) matches the comments sent from it.
"""

import ipaddress

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, F, Func, GenericIPAddressField, Value
from django.db.models.functions import Cast
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from accounts import badges
from comments.models import Comment, Flag
from comments.moderation import actions as moderation
from comments.moderation.permissions import can_moderate

Status = Comment.Status
REVIEW, EVERYTHING = "review", "all"
# Query-string keys that page, sort or mark errors without narrowing the list.
NOT_FILTERS = {"o", "p", "e"}
DEFAULT_REMOVE_REASON = "Breaks the discussion rules."
QUICK_BUTTON = "queue_decide"


def shows_review(request) -> bool:
    """Whether the comment list shows only what needs review (its default, with no filter)."""
    chosen = request.GET.get(QueueFilter.parameter_name)
    if chosen in (REVIEW, EVERYTHING):
        return chosen == REVIEW
    return not set(request.GET) - NOT_FILTERS


class QueueFilter(admin.SimpleListFilter):
    """Needs review (held or flagged; the default) or every comment."""

    title = "queue"
    parameter_name = "queue"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.is_review = shows_review(request)

    def lookups(self, request, model_admin):
        return ((REVIEW, "Needs review (held or flagged)"), (EVERYTHING, "All comments"))

    def value(self):
        return REVIEW if self.is_review else EVERYTHING

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.is_review:
            return queryset.filter(queue_rank__lt=2)
        return queryset


def address_matches(term: str):
    """A filter for comments sent from the address or network `term`, or None if it is neither."""
    try:
        network = ipaddress.ip_network(term.strip(), strict=False)
    except ValueError:
        return None
    # inet <<= inet: the address is the network or inside it (normalised by PostgreSQL).
    return Func(
        F("ip_address"),
        Cast(Value(str(network)), output_field=GenericIPAddressField()),
        template="(%(expressions)s)",
        arg_joiner=" <<= ",
        output_field=BooleanField(),
    )


def remove_reason(request, comment: Comment) -> str:
    """The action bar's reason if typed, else the readers' flag reasons, else the standard one."""
    typed = " ".join(request.POST.get("reason", "").split())
    if typed:
        return typed
    labels = dict(Flag.Reason.choices)
    flagged = [labels.get(r, r) for r in (comment.open_flag_reasons or "").split(", ") if r]
    if flagged:
        return f"Flagged by readers: {'; '.join(flagged)}."
    return DEFAULT_REMOVE_REASON


class ReviewMixin:
    """The review view of CommentAdmin: default filter and order, row buttons, marks, search."""

    class Media:
        css = {"all": ("css/admin-queue.css",)}

    def get_ordering(self, request):
        # Annotations (see get_queryset), so not in `ordering`, which admin checks hold to fields.
        # Other admins order their comment choices (raw-id, autocomplete) by this too, on
        # the plain manager: only our own changelist has the annotation.
        match = request.resolver_match
        if match is None or match.url_name != "comments_comment_changelist":
            return ("-created_at", "-id")
        if shows_review(request):
            return ("queue_rank", "created_at", "id")
        return ("queue_rank", "-created_at", "-id")

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        sent_from = address_matches(search_term)
        if sent_from is not None:
            found |= queryset.filter(sent_from)
        return found, may_have_duplicates

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The page's comments are fetched once; their authors' roles in one more query.
        rows = list(changelist.result_list)
        roles = badges.author_roles({row.author_id for row in rows})
        for row in rows:
            row.author_roles = roles.get(row.author_id, ())
        return changelist

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and QUICK_BUTTON in request.POST:
            return self._decide(request)
        return super().changelist_view(request, extra_context)

    def _decide(self, request):
        """One row's Approve or Remove button: run the write function, report, come back."""
        back = HttpResponseRedirect(request.get_full_path())
        decision, _, pk = request.POST[QUICK_BUTTON].partition(":")
        if decision not in ("approve", "remove") or not pk.isdigit():
            self.message_user(request, "That button is out of date; reload.", messages.ERROR)
            return back
        if not can_moderate(request.user):
            raise PermissionDenied("Only moderators can approve or remove comments.")
        comment = self.get_queryset(request).select_related("post", "author").filter(pk=pk).first()
        if comment is None:
            self.message_user(request, "That comment no longer exists.", messages.ERROR)
            return back
        before = comment.status
        try:
            if decision == "approve":
                moderation.comment_approve(comment=comment, moderator=request.user)
            else:
                moderation.comment_remove(
                    comment=comment,
                    moderator=request.user,
                    reason=remove_reason(request, comment),
                )
        except (ValidationError, PermissionDenied) as error:
            said = error.messages if isinstance(error, ValidationError) else [str(error)]
            self.message_user(request, f"#{comment.number}: {' '.join(said)}", messages.WARNING)
            return back
        done = "approved" if decision == "approve" else "removed"
        if comment.status == before and decision == "remove":
            self.message_user(request, f"#{comment.number} was already removed.")
        else:
            self.message_user(
                request, f"#{comment.number} on {comment.post} was {done}.", messages.SUCCESS
            )
        return back

    # ── Columns ──

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        reason = (
            format_html(
                ' <span class="queue-reason">[{}]</span>', _shorten(obj.moderation_reason, 100)
            )
            if obj.moderation_reason
            else ""
        )
        return format_html(
            '<span class="queue-excerpt">{}</span>{}', _shorten(obj.body, 160), reason
        )

    @admin.display(description="post")
    def on_post(self, obj: Comment) -> str:
        return format_html(
            '<span class="queue-post" title="{}">{}</span> '
            '<a href="{}">#{}&nbsp;in&nbsp;thread</a>',
            obj.post.title,
            _shorten(obj.post.title, 50),
            obj.get_absolute_url(),
            obj.number,
        )

    @admin.display(description="author")
    def who(self, obj: Comment) -> str:
        if obj.author_id is None:
            colour, glyph = badges.guest_mark(obj.guest_email)
            mark = format_html(
                '<span class="queue-mark queue-mark--guest" title="Guest: not a registered '
                'account"><span class="guest-mark guest-mark--{}" aria-hidden="true">{}</span>'
                " guest</span>",
                colour,
                glyph,
            )
            name = obj.guest_name or "[deleted account]"
        else:
            # Ordinary registered readers carry no mark: only the exceptions are marked.
            mark = format_html_join(
                " ",
                '<span class="queue-mark queue-mark--{}">{}</span>',
                ((role, role) for role in getattr(obj, "author_roles", ())),
            )
            name = obj.author.public_name
        return format_html('<span class="queue-name">{}</span> {}', name, mark)

    @admin.display(description="status", ordering="status")
    def state(self, obj: Comment) -> str:
        return format_html(
            '<span class="queue-status queue-status--{}">{}</span>',
            obj.status,
            Status(obj.status).label,
        )

    @admin.display(description="posted", ordering="created_at")
    def posted(self, obj: Comment) -> str:
        return date_format(timezone.localtime(obj.created_at), "j M Y H:i")

    @admin.display(description="decide")
    def decide(self, obj: Comment) -> str:
        """Approve (if there is anything to approve) and Remove, as submit buttons of the list."""
        buttons = []
        if obj.status in (Status.PENDING, Status.SHADOWED) or obj.open_flag_count:
            buttons.append(("approve", "Approve", f"Approve #{obj.number}"))
        elif obj.status in (Status.REMOVED, Status.SPAM):
            buttons.append(("approve", "Restore", f"Restore #{obj.number}"))
        if obj.status not in (Status.REMOVED, Status.DELETED):
            buttons.append(("remove", "Remove", f"Remove #{obj.number}"))
        return format_html_join(
            " ",
            '<button type="submit" class="button queue-button queue-button--{}" name="{}" '
            'value="{}:{}" aria-label="{}">{}</button>',
            ((kind, QUICK_BUTTON, kind, obj.pk, label, text) for kind, text, label in buttons),
        )


def _shorten(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
