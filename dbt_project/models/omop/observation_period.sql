{{ person_incremental() }}
{#- OMOP CDM 5.4 OBSERVATION_PERIOD: one per person, from their first to their last contact
    with SOS Médecins (an out-of-hours service sees a person only when they call, so the
    period is the span of their records; every visit falls inside it). Id = person_id.
    Type 32817 = EHR. -#}
select
    person_id::integer as observation_period_id,
    person_id::integer as person_id,
    min(started_local_at)::date as observation_period_start_date,
    max(ended_local_at)::date as observation_period_end_date,
    32817::integer as period_type_concept_id
from {{ ref('int_visits') }}
where is_present {{ and_changed_persons_only('person_id') }}
group by person_id
