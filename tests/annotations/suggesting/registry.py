"""The demo registry as the engine sees it: a MentionIndex and each actor's kind."""

from annotations.demo_data import ACTORS, ARTICLES
from annotations.mentions import MentionIndex

IDS = {name: number for number, (name, *_rest) in enumerate(ACTORS, start=1)}
KINDS = {IDS[name]: kind for name, kind, *_rest in ACTORS}
INDEX = MentionIndex.build(
    [(IDS[name], name) for name, *_rest in ACTORS]
    + [(IDS[name], alias) for name, _kind, aliases, *_rest in ACTORS for alias in aliases]
)
RUNNING_EXAMPLE = next(a for a in ARTICLES if a["key"] == "suggestions")["text"]
