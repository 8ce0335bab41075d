"""copies: sentence hashes, a MinHash sketch index, and the copied-from report

Revision ID: 0002
Revises: 0001

Adds columns and a table only: reports recorded before keep their rows (their sentences are
unknown, so they are never found as the source of a copy until checked again).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentences", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("dup_of_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("dup_share", sa.Float(), nullable=True))
        batch_op.create_foreign_key("fk_reports_dup_of_id", "reports", ["dup_of_id"], ["id"], ondelete="SET NULL")
    op.create_table(
        "sketch",
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("value", "report_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: that would drop recorded checks")
