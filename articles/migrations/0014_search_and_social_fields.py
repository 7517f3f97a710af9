"""Optional SEO title, meta description, social title, social description and social picture
per story; the lead picture's help says it is shared unless a social picture is chosen."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_lead_picture_type_of_work'),
        ('images', '0002_picture_change_record'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='meta_description',
            field=models.CharField(blank=True, help_text='What search engines show under the title, about 155 characters (fewer on phones). Empty: the standfirst.', max_length=160),
        ),
        migrations.AddField(
            model_name='article',
            name='seo_title',
            field=models.CharField(blank=True, help_text="The title search engines show for the story, if it should differ from the headline (the browser's tab shows it too). The site's name is added; search results show about 60 characters of the whole. Empty: the headline.", max_length=70, verbose_name='SEO title'),
        ),
        migrations.AddField(
            model_name='article',
            name='social_description',
            field=models.CharField(blank=True, help_text='The text under the title on the shared card; about 110 characters are shown. Empty: the standfirst.', max_length=200),
        ),
        migrations.AddField(
            model_name='article',
            name='social_picture',
            field=models.ForeignKey(blank=True, help_text="The picture of the shared card and of search results, cropped to 16:9, 4:3 and 1:1; at least 1200 pixels wide looks best. Readers of the story's page don't see it. Empty: the lead picture, else the section's or the site's default picture.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='social_picture_of', to='images.image'),
        ),
        migrations.AddField(
            model_name='article',
            name='social_title',
            field=models.CharField(blank=True, help_text='The title of the card when the story is shared on social networks and in messengers; about 70 characters are shown. Empty: the headline.', max_length=90),
        ),
        migrations.AlterField(
            model_name='article',
            name='lead_picture',
            field=models.ForeignKey(blank=True, help_text='Shown above the story and in teasers; also in feeds and when the story is shared, unless it has a social picture.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='lead_picture_of', to='images.image', verbose_name='lead picture'),
        ),
    ]
