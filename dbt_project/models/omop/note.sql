{{ omop_incremental('visit_occurrence_id') }}
{#- OMOP CDM 5.4 NOTE: the call taker's note of each call, as scrubbed at ingestion (no name,
    phone, NIR, email, birth date or address reaches this table; the leak guard checks it),
    attached to the call's visit and its call leg. Type 32817 = EHR. Note class, encoding and
    language concepts are 0 (not in the shipped vocabulary subset). -#}
with changed as (
    {{ changed_visits() }}
)

select
    note_ids.note_id::integer as note_id,
    changed.person_id::integer as person_id,
    calls.received_local_at::date as note_date,
    calls.received_local_at::timestamp as note_datetime,
    32817::integer as note_type_concept_id,
    0::integer as note_class_concept_id,
    'Call reason (call taker)'::varchar(250) as note_title,
    calls.call_reason_text::text as note_text,
    0::integer as encoding_concept_id,
    0::integer as language_concept_id,
    null::integer as provider_id,
    changed.visit_occurrence_id::integer as visit_occurrence_id,
    call_details.visit_detail_id::integer as visit_detail_id,
    calls.triage_decision::varchar(50) as note_source_value,
    null::integer as note_event_id,
    null::integer as note_event_field_concept_id
from changed
inner join {{ ref('stg_calls') }} as calls on calls.call_key = changed.source_key
inner join {{ ref('int_note_ids') }} as note_ids on note_ids.source_key = calls.call_key
inner join {{ ref('int_visit_detail_ids') }} as call_details
    on call_details.source_key = 'call:' || calls.call_key
where changed.visit_kind = 'call'
