{{ config(materialized='view') }}
{#- What every clinical row of an encounter points to: its visit, the encounter leg of its
    visit details, the doctor, the care site and the call that led to it (when that call has
    arrived), with the encounter's kind and orientation. -#}
select
    encounters.encounter_key,
    encounters.encounter_type,
    encounters.outcome,
    encounters.call_key,
    visits.visit_occurrence_id,
    visits.person_id,
    encounters.started_local_at,
    encounters.ended_local_at,
    detail_ids.visit_detail_id as encounter_detail_id,
    provider_ids.provider_id,
    coalesce(centre_ids.care_site_id, association_ids.care_site_id) as care_site_id,
    call_visits.visit_occurrence_id as call_visit_occurrence_id,
    triage_ids.visit_detail_id as triage_detail_id
from {{ ref('stg_encounters') }} as encounters
inner join {{ ref('int_visits') }} as visits
    on visits.visit_key = 'encounter:' || encounters.encounter_key and visits.is_present
inner join {{ ref('int_visit_detail_ids') }} as detail_ids
    on detail_ids.source_key = 'encounter:' || encounters.encounter_key
inner join {{ ref('int_provider_ids') }} as provider_ids
    on provider_ids.source_key = encounters.doctor_key
left join {{ ref('int_care_site_ids') }} as centre_ids
    on centre_ids.source_key = 'centre:' || encounters.centre_key
left join {{ ref('int_care_site_ids') }} as association_ids
    on association_ids.source_key = 'association:' || encounters.association_id
left join {{ ref('int_visits') }} as call_visits
    on call_visits.visit_key = 'call:' || encounters.call_key and call_visits.is_present
left join {{ ref('int_visit_detail_ids') }} as triage_ids
    on triage_ids.source_key = 'triage:' || encounters.call_key and call_visits.is_present
