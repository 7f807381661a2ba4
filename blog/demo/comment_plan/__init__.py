"""Demo comment threads as plain data: who writes what, in reply to which comment, and when.

Pure: nothing here touches the database. A plan is a list of `PlannedComment`
numbered 1, 2, 3… in posting order, the order `blog.demo.comments` writes them
in, so a text can cite an earlier comment by the number it will have. The long
thread and the open thread are generated from hand-written texts with a fixed
random seed (`generated`); the other posts carry short scripted threads
(`scripted`).
"""

from blog.demo.comment_plan.generated import plan_generated_thread
from blog.demo.comment_plan.recipes import LONG_THREAD, OPEN_THREAD
from blog.demo.comment_plan.records import Person, PlannedComment, Recipe, demo_people
from blog.demo.comment_plan.scripted import plan_scripted_thread

__all__ = [
    "LONG_THREAD",
    "OPEN_THREAD",
    "Person",
    "PlannedComment",
    "Recipe",
    "demo_people",
    "plan_generated_thread",
    "plan_scripted_thread",
]
