"""Relations between claims: the documented shape of one, and the input that adds one."""

from __future__ import annotations

from rest_framework import serializers

from annotations.api.serializers.fields import MAX_ID, MAX_OFFSET, InputSerializer, WholeNumberField
from annotations.models import RelationKind

DIRECTIONS = [("outgoing", "Outgoing"), ("incoming", "Incoming")]


class RelatedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.CharField()


class ClaimRelationSerializer(serializers.Serializer):
    """A relation as one of its claims shows it. `outgoing`: this claim is `from_claim`
    (it denies `to_claim`); `incoming`: the other claim is `from_claim` (it denies this
    one). `other_claim` is the claim at the other end."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    direction = serializers.ChoiceField(choices=DIRECTIONS)
    from_claim = serializers.IntegerField()
    to_claim = serializers.IntegerField()
    other_claim = RelatedClaimSerializer()


class RelationInputSerializer(InputSerializer):
    """This claim `kind` the claim `to_claim` (a claim of the same project you can see)."""

    kind = serializers.ChoiceField(choices=RelationKind.choices)
    to_claim = WholeNumberField(min_value=1, max_value=MAX_ID)
    version = WholeNumberField(
        min_value=1,
        max_value=MAX_OFFSET,
        required=False,
        help_text="When given, the claim must still be at this version.",
    )
