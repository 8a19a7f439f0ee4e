"""The search page's "ask the community" link is the forum's, through its module declaration."""

from portal import modules


def test_the_forum_offers_the_community():
    assert modules.community_url_name() == "community:index"
