{{ omop_incremental('visit_occurrence_id', index_unit=false) }}
{#- OMOP CDM 5.4 VISIT_OCCURRENCE: every call (telephone regulation, Telehealth 5083) and every
    encounter: home visit 581476, fixed-centre consultation (Outpatient Visit 9202),
    teleconsultation (Telehealth 5083). Type 32817 = EHR. An encounter's preceding visit is the
    call that led to it; where the patient went next is discharged_to (home 8536, emergency
    room 8870, inpatient hospital 8717; GP, specialist and death keep 0 and their source value). -#}
with changed as (
    {{ changed_visits() }}
),

calls as (
    select
        changed.visit_occurrence_id,
        changed.person_id,
        5083 as visit_concept_id,
        calls.received_local_at as started_local_at,
        calls.received_local_at as ended_local_at,
        null::integer as provider_id,
        care_sites.care_site_id,
        'call' as visit_source_value,
        null::integer as discharged_to_concept_id,
        'triage:' || calls.triage_decision as discharged_to_source_value,
        null::integer as preceding_visit_occurrence_id
    from changed
    inner join {{ ref('stg_calls') }} as calls on calls.call_key = changed.source_key
    left join {{ ref('int_care_site_ids') }} as care_sites
        on care_sites.source_key = 'association:' || calls.association_id
    where changed.visit_kind = 'call'
),

encounters as (
    select
        changed.visit_occurrence_id,
        changed.person_id,
        {{ encounter_visit_concept('context.encounter_type') }},
        context.started_local_at,
        context.ended_local_at,
        context.provider_id,
        context.care_site_id,
        context.encounter_type,
        case context.outcome
            when 'home' then 8536
            when 'emergency_department' then 8870
            when 'hospitalisation' then 8717
            else 0
        end,
        'outcome:' || context.outcome,
        context.call_visit_occurrence_id
    from changed
    inner join {{ ref('int_encounter_context') }} as context
        on context.encounter_key = changed.source_key
    where changed.visit_kind = 'encounter'
)

select
    visit_occurrence_id::integer as visit_occurrence_id,
    person_id::integer as person_id,
    visit_concept_id::integer as visit_concept_id,
    started_local_at::date as visit_start_date,
    started_local_at::timestamp as visit_start_datetime,
    ended_local_at::date as visit_end_date,
    ended_local_at::timestamp as visit_end_datetime,
    32817::integer as visit_type_concept_id,
    provider_id::integer as provider_id,
    care_site_id::integer as care_site_id,
    visit_source_value::varchar(50) as visit_source_value,
    0::integer as visit_source_concept_id,
    null::integer as admitted_from_concept_id,
    null::varchar(50) as admitted_from_source_value,
    discharged_to_concept_id::integer as discharged_to_concept_id,
    discharged_to_source_value::varchar(50) as discharged_to_source_value,
    preceding_visit_occurrence_id::integer as preceding_visit_occurrence_id
from (select * from calls union all select * from encounters) as visits
