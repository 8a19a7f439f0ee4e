"""Experience feedback (REX): pages, member submissions, moderation, regional figures."""
