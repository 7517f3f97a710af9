"""The desk: the newsroom's working lists of stories (mine, awaiting review, …) and the screens
a story moves through on them, in the admin.

- `lists.py`: each list defined once, for the article list's filter and the index's counts;
- `views.py`: the screens (review queue, workflow steps, comments, previews and share links,
  presence, history, comparison and restore), plain function views;
- `urls.py`: their addresses, which `ArticleAdmin.get_urls()` includes;
- `panel.py`: what the article form shows around its fields.
"""
