{{ staging_incremental('encounters', 'encounter_key', 'started_local_date') }}
{#- One row per encounter: when an encounter was delivered twice, the latest load wins. -#}
with latest as (
    {{ latest_load('encounters', ['association_id', 'encounter_id']) }}
)

select
    latest.association_id,
    encounter_id,
    latest.association_id || ':' || encounter_id as encounter_key,
    case when call_id is not null then latest.association_id || ':' || call_id end as call_key,
    encounter_type,
    latest.association_id || ':' || doctor_id as doctor_key,
    place,
    case when centre_id is not null then latest.association_id || ':' || centre_id end
        as centre_key,
    started_at,
    ended_at,
    {{ local_time('started_at') }} as started_local_at,
    {#- When clocks go back in autumn, local time repeats an hour: an encounter spanning the
        change would end before it starts in local time (about a hundred a year nationally),
        so its local end is then its local start (at most an hour early). An end truly before
        the start (in UTC) is left as it is, for the checks to catch. -#}
    case
        when ended_at >= started_at
            then greatest({{ local_time('started_at') }}, {{ local_time('ended_at') }})
        else {{ local_time('ended_at') }}
    end as ended_local_at,
    {{ local_time('started_at') }}::date as started_local_date,
    outcome,
    gp_handover,
    {{ patient_columns() }}
    {{ lineage_columns('encounters') }}
{{ join_association_timezone() }}
