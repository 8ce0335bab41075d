"""tally: per-rule status counts kept as reports are recorded, and a covering index for stats

Revision ID: 0003
Revises: 0002

`stats --by rule` and the cohort page summed millions of rule rows at 100,000 reports; they now
read `rule_tally` (one row per rule, province, year, type, status), which the store keeps up to date
in the same transaction as each report (a resubmission moves its counts from the old version to
the new). Filled here from the rows already recorded, so nothing is lost or recounted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_tally",
        sa.Column("rule_id", sa.String(length=64), nullable=False),
        sa.Column("province", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("waived", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("rule_id", "province", "year", "doc_type", "status", "waived"),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index("ix_reports_stats", ["superseded", "province", "city", "year", "doc_type", "score_total",
                                                    "n_met", "n_applicable", "n_findings"], unique=False)
    op.execute(
        "INSERT INTO rule_tally (rule_id, province, year, doc_type, status, waived, n) "
        "SELECT rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, "
        "rr.waived, COUNT(*) FROM rule_results rr JOIN reports r ON r.id = rr.report_id WHERE r.superseded = false "
        "GROUP BY rr.rule_id, COALESCE(r.province, ''), COALESCE(r.year, 0), r.doc_type, rr.status, rr.waived"
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: that would drop recorded checks")
