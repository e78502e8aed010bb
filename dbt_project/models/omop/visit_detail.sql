{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 VISIT_DETAIL: the legs of a care episode. A call has two, the call itself and
    the triage decision (a child of the call); an encounter has one, the doctor's visit, which
    follows the triage of the call that led to it. -#}
with changed as (
    {{ changed_visits() }}
),

legs as (
    select
        detail_ids.visit_detail_id,
        changed.person_id,
        5083 as visit_detail_concept_id,
        calls.received_local_at as started_local_at,
        calls.received_local_at as ended_local_at,
        null::integer as provider_id,
        care_sites.care_site_id,
        leg.source_value as visit_detail_source_value,
        leg.preceding_key,
        changed.visit_occurrence_id
    from changed
    inner join {{ ref('stg_calls') }} as calls on calls.call_key = changed.source_key
    cross join lateral (
        values
            ('call:' || calls.call_key, 'call', null),
            ('triage:' || calls.call_key, 'triage:' || calls.triage_decision,
             'call:' || calls.call_key)
    ) as leg (detail_key, source_value, preceding_key)
    inner join {{ ref('int_visit_detail_ids') }} as detail_ids
        on detail_ids.source_key = leg.detail_key
    left join {{ ref('int_care_site_ids') }} as care_sites
        on care_sites.source_key = 'association:' || calls.association_id
    where changed.visit_kind = 'call'

    union all

    select
        context.encounter_detail_id,
        changed.person_id,
        {{ encounter_visit_concept('context.encounter_type') }},
        context.started_local_at,
        context.ended_local_at,
        context.provider_id,
        context.care_site_id,
        context.encounter_type,
        case when context.triage_detail_id is not null then 'triage:' || context.call_key end,
        changed.visit_occurrence_id
    from changed
    inner join {{ ref('int_encounter_context') }} as context
        on context.encounter_key = changed.source_key
    where changed.visit_kind = 'encounter'
)

select
    legs.visit_detail_id::integer as visit_detail_id,
    legs.person_id::integer as person_id,
    legs.visit_detail_concept_id::integer as visit_detail_concept_id,
    legs.started_local_at::date as visit_detail_start_date,
    legs.started_local_at::timestamp as visit_detail_start_datetime,
    legs.ended_local_at::date as visit_detail_end_date,
    legs.ended_local_at::timestamp as visit_detail_end_datetime,
    32817::integer as visit_detail_type_concept_id,
    legs.provider_id::integer as provider_id,
    legs.care_site_id::integer as care_site_id,
    legs.visit_detail_source_value::varchar(50) as visit_detail_source_value,
    0::integer as visit_detail_source_concept_id,
    null::integer as admitted_from_concept_id,
    null::varchar(50) as admitted_from_source_value,
    null::varchar(50) as discharged_to_source_value,
    null::integer as discharged_to_concept_id,
    preceding.visit_detail_id::integer as preceding_visit_detail_id,
    (case when legs.visit_detail_source_value like 'triage:%' then preceding.visit_detail_id end)
        ::integer as parent_visit_detail_id,
    legs.visit_occurrence_id::integer as visit_occurrence_id
from legs
left join {{ ref('int_visit_detail_ids') }} as preceding
    on preceding.source_key = legs.preceding_key
