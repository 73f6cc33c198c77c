"""The URL of one object after another, reversed once.

A page may link a thousand claims and an export writes a link for each of hundreds of
thousands; Django's `reverse` costs far more than the string it makes. `IdUrl` reverses
a URL name once with a placeholder id, then puts each id between what came before and
after it.
"""

from __future__ import annotations

from django.urls import reverse

# An id to find in the address, and one of another length to check that the id is
# written as it is (a converter that pads ids would write the long one unchanged).
_PLACEHOLDER, _CHECK = 918273645, 7


class IdUrl:
    """`reverse(name, args=[id])` for any id, the name reversed once.

    Raises NoReverseMatch when the name does not reverse. Falls back to `reverse` for
    every id when the id is not simply part of the address (a converter that writes it
    otherwise).
    """

    __slots__ = ("head", "name", "tail")

    def __init__(self, name: str) -> None:
        self.name = name
        address = reverse(name, args=[_PLACEHOLDER])
        head, found, tail = address.rpartition(str(_PLACEHOLDER))
        if found and f"{head}{_CHECK}{tail}" == reverse(name, args=[_CHECK]):
            self.head, self.tail = head, tail
        else:
            self.head = self.tail = None

    def __call__(self, object_id: int) -> str:
        if self.head is None:
            return reverse(self.name, args=[object_id])
        return f"{self.head}{object_id}{self.tail}"
