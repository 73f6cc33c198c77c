"""Fold every actor name and alias again with the one text fold.

Search and mention detection used to fold differently ("Iran's" was "iran s" for search
and "iran's" for mentions; "Søren" was "søren" and "soren"). The stored `folded` forms are
rewritten with the rule of `annotations.text.fold`, frozen here as it was written, so that
search finds what mention detection finds. An alias that now folds like another alias of
the same actor adds nothing and is removed (the first one is kept).
"""

import re
import unicodedata

from django.db import migrations

APOSTROPHES = frozenset("'\u2019\u2018\u201b\u02bc\u2032\u0060\u00b4\uff07")
LETTERS = {
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "ħ": "h",
    "\u0131": "i",
    "ŧ": "t",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
}
SPACE_RUN = re.compile(" {2,}")


def fold_piece(c):
    if c in APOSTROPHES:
        return "'"
    category = unicodedata.category(c)
    if category == "Cf":
        return ""
    if c.isspace() or (category[0] in "PS" and category != "Pc"):
        return " "
    return LETTERS.get(c, c)


def fold_char(ch):
    if unicodedata.combining(ch):
        return ""
    if ch in APOSTROPHES:
        return "'"
    return "".join(
        fold_piece(c)
        for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
        if not unicodedata.combining(c)
    )


def fold(text):
    return SPACE_RUN.sub(" ", "".join(map(fold_char, text))).strip(" ")


def refold(apps, schema_editor):
    Actor = apps.get_model("annotations", "Actor")
    ActorAlias = apps.get_model("annotations", "ActorAlias")
    for actor in Actor.objects.only("pk", "name", "folded").iterator(chunk_size=2000):
        folded = fold(actor.name)
        if folded != actor.folded:
            Actor.objects.filter(pk=actor.pk).update(folded=folded)
    seen = set()
    changed = {}
    for alias in ActorAlias.objects.order_by("actor_id", "pk").iterator(chunk_size=2000):
        folded = fold(alias.name)
        if (alias.actor_id, folded) in seen:
            ActorAlias.objects.filter(pk=alias.pk).delete()
            continue
        seen.add((alias.actor_id, folded))
        if folded != alias.folded:
            changed[alias.pk] = folded
    # First out of the way, then in place: an alias may take the form another one held.
    for pk in changed:
        ActorAlias.objects.filter(pk=pk).update(folded=f"~refold~{pk}")
    for pk, folded in changed.items():
        ActorAlias.objects.filter(pk=pk).update(folded=folded)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0007_fill_review_rounds")]

    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
