/// Key-customer surveys (issue 8): templates of questions, sendings of a template to contacts of chosen accounts, and
/// one row per recipient with the hash of their link's secret and, once they answered, their answers. The NPS score
/// and satisfaction are kept beside the answers so reports add them up without reading every answer.
extension Migrations {
    static let surveys = Migration(25, "key-customer surveys", sql: """
        CREATE TABLE survey_templates (
            id {id},
            name TEXT NOT NULL,
            intro TEXT NOT NULL,
            questions TEXT NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id)
        );
        CREATE TABLE surveys (
            id {id},
            template_id BIGINT NOT NULL REFERENCES survey_templates (id),
            title TEXT NOT NULL,
            closes_on INTEGER,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES users (id)
        );
        CREATE TABLE survey_recipients (
            id {id},
            survey_id BIGINT NOT NULL REFERENCES surveys (id),
            account_id BIGINT NOT NULL REFERENCES accounts (id),
            contact_id BIGINT NOT NULL REFERENCES contacts (id),
            email TEXT,
            token_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            opened_at BIGINT,
            answered_at BIGINT,
            manager_id BIGINT REFERENCES users (id),
            answers TEXT,
            nps INTEGER,
            satisfaction DOUBLE PRECISION
        );
        CREATE INDEX survey_recipients_survey ON survey_recipients (survey_id);
        CREATE INDEX survey_recipients_account ON survey_recipients (account_id);
        CREATE INDEX survey_recipients_answered ON survey_recipients (answered_at) WHERE answered_at IS NOT NULL
        """)
}
