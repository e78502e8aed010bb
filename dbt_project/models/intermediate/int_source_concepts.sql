{#- Every local source code (ICPC-2, CONTACT) with its source concept and, when a reviewed
    mapping gives one, the valid standard concept it maps to (0 otherwise) and that concept's
    domain, and the standard concept a condition field may hold (a Condition, else 0). A code
    with several targets keeps the smallest, so each source row gives one row. -#}
with maps_to as (
    select distinct on (relationship.concept_id_1)
        relationship.concept_id_1 as source_concept_id,
        target.concept_id as standard_concept_id,
        target.domain_id as standard_domain_id
    from {{ source('vocab', 'concept_relationship') }} as relationship
    inner join {{ source('vocab', 'concept') }} as target
        on target.concept_id = relationship.concept_id_2
    where relationship.relationship_id = 'Maps to'
      and relationship.invalid_reason is null
      and target.standard_concept = 'S'
      and target.invalid_reason is null
    order by relationship.concept_id_1, target.concept_id
)

select
    source.vocabulary_id,
    source.concept_code,
    source.concept_id as source_concept_id,
    coalesce(maps_to.standard_concept_id, 0) as standard_concept_id,
    maps_to.standard_domain_id,
    (case when maps_to.standard_domain_id = 'Condition' then maps_to.standard_concept_id
          else 0 end) as condition_concept_id
from {{ source('vocab', 'concept') }} as source
left join maps_to on maps_to.source_concept_id = source.concept_id
where source.vocabulary_id in ('ICPC2', 'CONTACT')
