import re

from django.db import migrations
from django.utils.text import slugify

# What the tag address (/tag/<slug>/) accepts; an empty slug made its pages answer 500.
ADDRESSABLE_SLUG = re.compile(r"[-\w]+")


def repair_tag_slugs(apps, schema_editor):
    """Give every tag whose slug no address can hold a slug of its name, or "tag", "tag-2"…"""
    Tag = apps.get_model("articles", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    for tag in Tag.objects.order_by("pk"):
        if ADDRESSABLE_SLUG.fullmatch(tag.slug):
            continue
        base = slugify(tag.name, allow_unicode=True)[:94].strip("-_") or "tag"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_default_pictures")]

    operations = [migrations.RunPython(repair_tag_slugs, migrations.RunPython.noop)]
