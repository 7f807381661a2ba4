"""Short scripted threads: each line by a given commenter, at a given hour after publication."""

from datetime import datetime, timedelta

from blog.demo.comment_plan.records import Person, PlannedComment, fill_text, planned_comment


def plan_scripted_thread(
    script: tuple,
    *,
    start: datetime,
    people_by_key: dict[str, Person],
    allow_guests: bool = True,
    within: timedelta | None = None,
) -> list[PlannedComment]:
    """The scripted lines in order, leaving out guests' lines (and answers to them) if need be.

    With `within`, the script's hours are compressed to end inside that time.
    """
    last_hour = max(hours for _, _, hours, _ in script)
    scale = 1.0
    if within is not None:
        scale = min(1.0, within / timedelta(hours=last_hour))
    planned: list[PlannedComment] = []
    numbers: dict[int, int] = {}
    for index, (author, reply_to, hours, text) in enumerate(script):
        person = people_by_key[author]
        if (person.is_guest and not allow_guests) or (
            reply_to is not None and reply_to not in numbers
        ):
            continue
        cited = {f"c{i}": n for i, n in numbers.items()}
        parent = planned[numbers[reply_to] - 1] if reply_to is not None else None
        number = len(planned) + 1
        numbers[index] = number
        planned.append(
            planned_comment(
                number=number,
                person=person,
                as_guest=person.is_guest or bool(person.guest_email and allow_guests),
                parent=parent,
                body=fill_text(text, name=parent.name if parent else "", **cited),
                created_at=start + timedelta(hours=hours * scale),
                kind="scripted",
            )
        )
    return planned
