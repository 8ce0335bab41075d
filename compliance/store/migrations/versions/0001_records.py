"""records: batches, reports, rule results

Revision ID: 0001
Revises: (none)

The first schema: one row per checked report, its rule results, the batches
(quotes are in the report's document).
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('ruleset', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('n_reports', sa.Integer(), nullable=False),
    sa.Column('n_errors', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('input_errors',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('input_errors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_input_errors_batch_id'), ['batch_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('batch_id', sa.String(length=32), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('issuer_key', sa.String(length=200), nullable=True),
    sa.Column('province', sa.String(length=50), nullable=True),
    sa.Column('city', sa.String(length=50), nullable=True),
    sa.Column('county', sa.String(length=50), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('doc_number', sa.Text(), nullable=True),
    sa.Column('ruleset_name', sa.String(length=200), nullable=False),
    sa.Column('ruleset_version', sa.String(length=64), nullable=False),
    sa.Column('ruleset_chain', sa.JSON(), nullable=False),
    sa.Column('ruleset_hash', sa.String(length=64), nullable=True),
    sa.Column('score_total', sa.Float(), nullable=True),
    sa.Column('grade', sa.String(length=8), nullable=True),
    sa.Column('by_family', sa.JSON(), nullable=False),
    sa.Column('n_applicable', sa.Integer(), nullable=False),
    sa.Column('n_met', sa.Integer(), nullable=False),
    sa.Column('n_findings', sa.Integer(), nullable=False),
    sa.Column('tool_version', sa.String(length=32), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.String(length=32), nullable=True),
    sa.Column('same_text', sa.Boolean(), nullable=False),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.Column('text_z', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_id'], ['reports.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_checked_at'), ['checked_at'], unique=False)
        batch_op.create_index('ix_reports_current', ['superseded', 'year'], unique=False)
        batch_op.create_index('ix_reports_issuer_period', ['issuer_key', 'period_end', 'period_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_sha256'), ['sha256'], unique=False)

    op.create_table('rule_results',
    sa.Column('report_id', sa.String(length=32), nullable=False),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('earned', sa.Float(), nullable=False),
    sa.Column('waived', sa.Boolean(), nullable=False),
    sa.Column('waiver_reason', sa.Text(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'rule_id')
    )
    with op.batch_alter_table('rule_results', schema=None) as batch_op:
        batch_op.create_index('ix_rule_results_rule_status', ['rule_id', 'status'], unique=False)



def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded: that would drop recorded checks")
