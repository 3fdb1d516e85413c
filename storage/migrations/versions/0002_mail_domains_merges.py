"""mail domains cache, merges, email evidence, indexes for merges

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mail_domains',
    sa.Column('domain', sa.String(), nullable=False),
    sa.Column('mail_status', sa.String(), nullable=True),
    sa.Column('mx_hosts', sa.JSON(), nullable=True),
    sa.Column('dns_reason', sa.String(), nullable=True),
    sa.Column('dns_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('catch_all', sa.Boolean(), nullable=True),
    sa.Column('catch_all_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_pattern', sa.String(), nullable=True),
    sa.Column('pattern_translit', sa.String(), nullable=True),
    sa.Column('pattern_confidence', sa.Float(), nullable=True),
    sa.Column('pattern_support', sa.Integer(), nullable=False),
    sa.Column('pattern_learned_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('domain')
    )
    op.create_table('merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity_type', sa.String(), nullable=False),
    sa.Column('kept_id', sa.Integer(), nullable=False),
    sa.Column('merged_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index('ix_merges_entity_kept', ['entity_type', 'kept_id'], unique=False)
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.String(), nullable=True))
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.create_index('ix_scores_company', ['company_id'], unique=False)
    with op.batch_alter_table('change_events', schema=None) as batch_op:
        batch_op.create_index('ix_change_events_entity', ['entity_type', 'entity_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('change_events', schema=None) as batch_op:
        batch_op.drop_index('ix_change_events_entity')
    with op.batch_alter_table('scores', schema=None) as batch_op:
        batch_op.drop_index('ix_scores_company')
    with op.batch_alter_table('emails', schema=None) as batch_op:
        batch_op.drop_column('evidence')
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index('ix_merges_entity_kept')
    op.drop_table('merges')
    op.drop_table('mail_domains')
