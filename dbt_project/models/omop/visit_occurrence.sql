{{ config(contract={'enforced': true}) }}
{#- OMOP CDM 5.4 VISIT_OCCURRENCE: one row per encounter. Home visit 581476, outpatient
    (fixed-centre consultation) 9202, telehealth 5083; type concept 32817 = EHR. -#}
select
    visit_ids.visit_occurrence_id::integer as visit_occurrence_id,
    person_ids.person_id::integer as person_id,
    (case encounters.encounter_type
        when 'home_visit' then 581476
        when 'centre_consultation' then 9202
        when 'teleconsultation' then 5083
        else 0
    end)::integer as visit_concept_id,
    (encounters.started_at at time zone 'Europe/Paris')::date as visit_start_date,
    (encounters.started_at at time zone 'Europe/Paris')::timestamp as visit_start_datetime,
    (encounters.ended_at at time zone 'Europe/Paris')::date as visit_end_date,
    (encounters.ended_at at time zone 'Europe/Paris')::timestamp as visit_end_datetime,
    32817::integer as visit_type_concept_id,
    null::integer as provider_id,
    null::integer as care_site_id,
    encounters.encounter_type::varchar(50) as visit_source_value,
    0::integer as visit_source_concept_id,
    null::integer as admitted_from_concept_id,
    null::varchar(50) as admitted_from_source_value,
    null::integer as discharged_to_concept_id,
    null::varchar(50) as discharged_to_source_value,
    null::integer as preceding_visit_occurrence_id
from {{ ref('stg_encounters') }} as encounters
inner join {{ ref('int_visit_ids') }} as visit_ids
    on visit_ids.source_key = encounters.encounter_key
inner join {{ ref('int_person_links') }} as links
    on links.record_key = 'encounter:' || encounters.encounter_key
inner join {{ ref('int_person_ids') }} as person_ids
    on person_ids.source_key = links.person_key
