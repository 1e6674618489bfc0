/// The sales library and training (issue 8): scripts, regulations and guides with the stages that link to them;
/// each rep's courses, webinars and mentoring sessions; the onboarding checklist's steps and each rep's ticks.
extension Migrations {
    static let libraryAndTraining = Migration(26, "library, training and onboarding", sql: """
        CREATE TABLE library_documents (
            id {id},
            kind TEXT NOT NULL CHECK (kind IN ('script', 'regulation', 'guide')),
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            updated_by BIGINT REFERENCES users (id),
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE stage_documents (
            stage_id BIGINT NOT NULL REFERENCES stages (id),
            document_id BIGINT NOT NULL REFERENCES library_documents (id),
            PRIMARY KEY (stage_id, document_id)
        );
        CREATE INDEX stage_documents_document ON stage_documents (document_id);
        CREATE TABLE training_records (
            id {id},
            user_id BIGINT NOT NULL REFERENCES users (id),
            kind TEXT NOT NULL CHECK (kind IN ('course', 'webinar', 'mentoring')),
            title TEXT NOT NULL,
            starts_on INTEGER NOT NULL,
            ends_on INTEGER,
            mentor_id BIGINT REFERENCES users (id),
            result TEXT NOT NULL CHECK (result IN ('planned', 'attended', 'passed', 'failed')),
            score INTEGER,
            notes TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id),
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE INDEX training_records_user ON training_records (user_id, starts_on);
        CREATE TABLE onboarding_steps (
            id {id},
            text TEXT NOT NULL,
            position INTEGER NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE onboarding_checks (
            user_id BIGINT NOT NULL REFERENCES users (id),
            step_id BIGINT NOT NULL REFERENCES onboarding_steps (id),
            done_at BIGINT NOT NULL,
            done_by BIGINT REFERENCES users (id),
            PRIMARY KEY (user_id, step_id)
        )
        """)
}
