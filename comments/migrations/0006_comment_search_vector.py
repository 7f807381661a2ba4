"""Comments get a GIN-indexed full-text vector of their rendered text (search, issue 11)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_add_import_review_actions"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector(
                    models.Func(
                        models.F("body_html"),
                        models.Value("<[^>]*>|&[#a-zA-Z0-9]+;"),
                        models.Value(" "),
                        models.Value("g"),
                        function="regexp_replace",
                        output_field=models.TextField(),
                    ),
                    config="english",
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="comment_search_vector_gin"
            ),
        ),
    ]
