{#- OMOP visit concept of an encounter type: home visit 581476, fixed-centre consultation
    (Outpatient Visit) 9202, teleconsultation (Telehealth) 5083. -#}
{% macro encounter_visit_concept(encounter_type) -%}
case {{ encounter_type }}
    when 'home_visit' then 581476
    when 'centre_consultation' then 9202
    when 'teleconsultation' then 5083
    else 0
end
{%- endmacro %}
