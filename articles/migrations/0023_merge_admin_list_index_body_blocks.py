# Joins issue 11's admin list indexes (0021) and issue 12's body blocks (0022), made side by
# side from 0020; neither touches the other's tables or columns.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0021_article_admin_list_index'),
        ('articles', '0022_body_blocks'),
    ]

    operations = [
    ]
