-- The approval of each project (API.md "Approval of aid projects"): its state, the decision that approved it,
-- who concluded the appraisal (maker-checker), when its dossier is due, and every transition.

alter table projects
    add column approval_state        text,
    -- The states a suspension or an amendment request interrupted, innermost last: resume and the amendment's
    -- decision go back to the last one (an amendment pending may itself be suspended).
    add column approval_return_states text[] not null default '{}',
    add column decision_number       text,
    add column decision_date         date,
    add column decision_authority    text,
    add column concluded_by          text,
    -- Fixed when the dossier is submitted, from the limits and the holiday calendar of that day.
    add column due_by                date,
    add column first_disbursement_on date;

-- Projects registered before approval was recorded on line had been approved on paper.
update projects set approval_state = 'approved';

alter table projects
    alter column approval_state set not null,
    add constraint projects_approval_state check (approval_state in (
        'draft', 'submitted', 'withdrawn', 'under-appraisal', 'appraised', 'approved', 'refused',
        'in-implementation', 'amendment-pending', 'completed', 'revoked', 'suspended'));

create index projects_approval on projects (approval_state, due_by);

create table approval_transitions (
    id           bigint generated always as identity primary key,
    project_id   uuid        not null references projects (id),
    action       text        not null,
    from_state   text,
    to_state     text        not null,
    actor_subject text       not null,
    actor_role   text        not null,
    actor_ngo_id uuid,
    at           timestamptz not null default now(),
    reason       text,
    decision     jsonb,
    documents    jsonb       not null default '[]'
);

create index approval_transitions_project on approval_transitions (project_id, id);

insert into approval_transitions (project_id, action, from_state, to_state, actor_subject, actor_role, at, reason)
select id, 'register', null, 'approved', 'aidplatform', 'system', created_at, 'Approved before approvals were recorded on line.'
from projects;
