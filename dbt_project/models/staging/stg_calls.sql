{{ staging_incremental('calls', 'call_key', 'received_local_date') }}
{#- One row per call: when a call was delivered twice, the latest load wins. -#}
with latest as (
    {{ latest_load('calls', ['association_id', 'call_id']) }}
)

select
    latest.association_id,
    call_id,
    latest.association_id || ':' || call_id as call_key,
    received_at,
    {{ local_time('received_at') }} as received_local_at,
    {{ local_time('received_at') }}::date as received_local_date,
    channel,
    caller_relation,
    call_reason_code,
    call_reason_text,
    triage_decision,
    {{ patient_columns() }}
    {{ lineage_columns('calls') }}
{{ join_association_timezone() }}
