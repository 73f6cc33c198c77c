import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_adds_no_article_without_its_first_revision(superuser, logged_in):
    # An article comes in through the import, which writes revision 1 with the text.
    assert logged_in(superuser).get(reverse("admin:articles_article_add")).status_code == 403
