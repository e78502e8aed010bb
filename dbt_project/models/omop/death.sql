{{ person_incremental() }}
{#- OMOP CDM 5.4 DEATH: persons whose encounter ended with a death certificate, at the end of
    the first such encounter. Type 32817 = EHR; the cause is not coded in the extract. -#}
select
    visits.person_id::integer as person_id,
    min(visits.ended_local_at)::date as death_date,
    min(visits.ended_local_at)::timestamp as death_datetime,
    32817::integer as death_type_concept_id,
    null::integer as cause_concept_id,
    null::varchar(50) as cause_source_value,
    null::integer as cause_source_concept_id
from {{ ref('int_visits') }} as visits
inner join {{ ref('stg_encounters') }} as encounters
    on encounters.encounter_key = visits.source_key
where visits.is_present and visits.visit_kind = 'encounter' and encounters.outcome = 'death'
    {{ and_changed_persons_only('visits.person_id') }}
group by visits.person_id
