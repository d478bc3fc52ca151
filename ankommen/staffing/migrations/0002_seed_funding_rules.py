"""The two funding rules the state has set so far: the build-up period's and the later, larger one.

The later rule's start (1 January 2022 here) is a value the state analysts correct on the rules page; moving it moves
the end of the earlier rule. Idempotent: the test setup calls `add_seed_rules` again after a flush.
"""

import datetime
from decimal import Decimal

from django.db import migrations

SEED_PERIOD_START = datetime.date(2013, 1, 1)
LATER_RULE_START = datetime.date(2022, 1, 1)

RULES = [
    (
        "Aufbauphase: bis zu 3,5 Landesstellen",
        SEED_PERIOD_START,
        LATER_RULE_START - datetime.timedelta(days=1),
        {"city": ("3.5", "2"), "district": ("3.5", "2"), "city_region": ("3.5", "2")},
    ),
    (
        "Ausbau: 5,5 Landesstellen in kreisfreien Städten, 6,5 in Kreisen",
        LATER_RULE_START,
        None,
        {"city": ("5.5", "2"), "district": ("6.5", "2"), "city_region": ("6.5", "2")},
    ),
]


def add_seed_rules(apps, schema_editor):
    FundingRule = apps.get_model("staffing", "FundingRule")
    FundingRuleLimit = apps.get_model("staffing", "FundingRuleLimit")
    if FundingRule.objects.exists():
        return
    for name, valid_from, valid_until, limits in RULES:
        rule = FundingRule.objects.create(name=name, valid_from=valid_from, valid_until=valid_until)
        for kind, (maximum, minimum) in limits.items():
            FundingRuleLimit.objects.create(
                rule=rule, region_kind=kind, max_state_fte=Decimal(maximum), min_teacher_posts=Decimal(minimum)
            )


def remove_seed_rules(apps, schema_editor):
    apps.get_model("staffing", "FundingRule").objects.filter(name__in=[rule[0] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("staffing", "0001_initial")]

    operations = [migrations.RunPython(add_seed_rules, remove_seed_rules)]
