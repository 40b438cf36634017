from django.db import models


class Account(models.Model):
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, db_column="legacy_code")

    class Meta:
        db_table = "accounts"
