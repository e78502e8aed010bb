{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 NOTE: the call taker's note of each call, as scrubbed at ingestion (no name,
    phone, NIR, email, birth date or address reaches this table; the leak guard checks it).
    Type 32817 = EHR. Note class, encoding and language concepts are 0 until the vocabulary
    work maps them. -#}
with first_visit as (
    select distinct on (encounters.call_key)
        encounters.call_key,
        visit_ids.visit_occurrence_id
    from {{ ref('stg_encounters') }} as encounters
    inner join {{ ref('int_visit_ids') }} as visit_ids
        on visit_ids.source_key = encounters.encounter_key
    where encounters.call_key is not null
    order by encounters.call_key, encounters.started_at
)

select
    note_ids.note_id::integer as note_id,
    person_ids.person_id::integer as person_id,
    (calls.received_at at time zone 'Europe/Paris')::date as note_date,
    (calls.received_at at time zone 'Europe/Paris')::timestamp as note_datetime,
    32817::integer as note_type_concept_id,
    0::integer as note_class_concept_id,
    'Call reason (call taker)'::varchar(250) as note_title,
    calls.call_reason_text::text as note_text,
    0::integer as encoding_concept_id,
    0::integer as language_concept_id,
    null::integer as provider_id,
    first_visit.visit_occurrence_id::integer as visit_occurrence_id,
    null::integer as visit_detail_id,
    calls.triage_decision::varchar(50) as note_source_value,
    null::integer as note_event_id,
    null::integer as note_event_field_concept_id
from {{ ref('stg_calls') }} as calls
inner join {{ ref('int_note_ids') }} as note_ids on note_ids.source_key = calls.call_key
inner join {{ ref('int_person_links') }} as links on links.record_key = 'call:' || calls.call_key
inner join {{ ref('int_person_ids') }} as person_ids on person_ids.source_key = links.person_key
left join first_visit on first_visit.call_key = calls.call_key
