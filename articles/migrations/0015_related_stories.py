"""Related stories editors pick for a story, in order, before the automatic choice."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0014_search_and_social_fields'),
    ]

    operations = [
        migrations.CreateModel(
            name='RelatedStory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, help_text='Lowest first.')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_stories', to='articles.article')),
                ('related', models.ForeignKey(help_text='A published story; start typing its headline.', on_delete=django.db.models.deletion.CASCADE, related_name='picked_for', to='articles.article', verbose_name='story')),
            ],
            options={
                'verbose_name_plural': 'related stories',
                'ordering': ['position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('article', 'related'), name='unique_related_story', violation_error_message='This story is picked already.'), models.CheckConstraint(condition=models.Q(('related', models.F('article')), _negated=True), name='related_story_not_itself', violation_error_message='A story cannot be related to itself.')],
            },
        ),
    ]
