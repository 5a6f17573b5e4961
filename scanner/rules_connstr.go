package scanner

import (
	"bytes"
	"strings"
)

// Connection strings carry a password next to a host. The patterns below
// capture the password only; connPassword rejects what is not one.
const (
	// connUser is the user-info name before the colon (possibly empty, as
	// in redis://:pass@host).
	connUser = `[^:@/\s"'<>]{0,64}`
	// connPass is the password: anything up to '@' that cannot end a URI.
	connPass = `[^@\s"'<>/]{1,128}`
	// connHost is the first character of the host after '@'.
	connHost = `[A-Za-z0-9\[_-]`
)

// connURI is the pattern of a URI with user:password@ user-info under the
// given (case-insensitive) scheme alternatives. The password is group 1.
func connURI(schemes string) string {
	return `(?i:\b(?:` + schemes + `)://)` + connUser + `:(` + connPass + `)@` + connHost
}

// connPlaceholderList holds passwords that stand for one in documentation,
// sample configuration and local development defaults, compared lower-cased.
const connPlaceholderList = "pass passwd password passw0rd p@ssw0rd p@ssword pwd secret secrets changeme changeit " +
	"postgres postgresql mysql mariadb mongo mongodb redis rabbitmq guest root admin administrator user username " +
	"test tester testing default letmein qwerty 12345 123456 1234567 12345678 abc123 example sample mypassword mypass " +
	"yourpassword dbpass dbpassword db_password db_pass pg_password mysql_password redis_password smtp_password " +
	"token apikey api_key key none null nil empty undefined foo bar baz foobar demo dev local localhost " +
	"sa oracle tiger scott system manager welcome admin123 root123 test123 password1 password123 opensesame hunter2"

// connIsPlaceholder reports a password from connPlaceholderList.
func connIsPlaceholder(lower string) bool {
	for _, w := range strings.Fields(connPlaceholderList) {
		if lower == w {
			return true
		}
	}
	return false
}

// connPassword accepts a captured password unless it is a placeholder word,
// spells out "password", is a template or format reference (%s, {password}, :password, [PASSWORD],
// $VAR, @VAR@), masked (****, xxxx), or shorter than five characters.
func connPassword(p string) bool {
	if len(p) < 5 {
		return false
	}
	lower := strings.ToLower(p)
	if connIsPlaceholder(lower) {
		return false
	}
	// A password spelling out "password" or "pass" ("p%40ssword",
	// "My%20Pass", "passwo^rd") is a test or documentation value.
	letters := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, lower)
	for _, w := range []string{"pass", "sword", "passwd", "secret"} {
		if strings.Contains(letters, w) {
			return false
		}
	}
	switch p[0] {
	case '%', '{', '$', '<', '[', '(', '@', ':', '#', '&':
		return false
	}
	switch p[len(p)-1] {
	case '}', ']', ')', '%', '@':
		return false
	}
	if strings.Contains(p, "{{") || strings.Contains(p, "${") || strings.Contains(p, "%s") || strings.Contains(p, "%v") {
		return false
	}
	if strings.Trim(lower, "*x.#?-_") == "" {
		return false
	}
	return true
}

// connectionStringRules returns the rules for credentials in connection strings.
func connectionStringRules() []Rule {
	const minEntropy = 2.3
	postgres := Remediation{
		What:          "A PostgreSQL password in a connection URI: it logs in to the database as that role with all of the role's privileges.",
		RevokeURL:     "https://www.postgresql.org/docs/current/sql-alterrole.html",
		Revoke:        "Change the role's password now (ALTER ROLE … PASSWORD), or on a managed service reset it in the console (RDS: Modify instance / Secrets Manager rotation; Cloud SQL: Users tab; Azure: Reset password), and terminate its open sessions (pg_terminate_backend).",
		RevokeCommand: `psql -h <HOST> -U <ADMIN_USER> -c "ALTER ROLE <USER> WITH PASSWORD '<NEW_PASSWORD>'; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '<USER>';"`,
		Rotate:        "Generate a long random password, store it in a secret manager and inject it as an environment variable (DATABASE_URL) at deploy time; restrict pg_hba.conf / security groups so the database is not reachable from the internet.",
		Misuse:        "Enable and check log_connections in the PostgreSQL logs (or the managed service's log explorer) for logins by the role from unknown addresses, and pg_stat_activity for current sessions.",
		DocsURL:       "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
	}
	mysql := Remediation{
		What:          "A MySQL/MariaDB password in a connection URI: it logs in as that account with all its grants.",
		RevokeURL:     "https://dev.mysql.com/doc/refman/8.0/en/alter-user.html",
		Revoke:        "Change the account's password (ALTER USER … IDENTIFIED BY …) or reset it in the managed service's console, and kill its open connections.",
		RevokeCommand: `mysql -h <HOST> -u <ADMIN_USER> -p -e "ALTER USER '<USER>'@'%' IDENTIFIED BY '<NEW_PASSWORD>';"`,
		Rotate:        "Generate a random password, keep it in a secret manager, inject it at deploy time, and limit the account's host pattern and grants.",
		Misuse:        "Check the general or audit log (or the managed service's logs) for connections by the account from unknown hosts, and SHOW PROCESSLIST for current sessions.",
		DocsURL:       "https://dev.mysql.com/doc/refman/8.0/en/connecting-using-uri-or-key-value-pairs.html",
	}
	mongo := Remediation{
		What:          "A MongoDB password in a connection string: it authenticates as that database user with its roles (often readWriteAnyDatabase on Atlas).",
		RevokeURL:     "https://cloud.mongodb.com/",
		Revoke:        "In Atlas open Database Access, edit the user and set a new password (or delete the user); self-hosted, run db.changeUserPassword().",
		RevokeCommand: `mongosh "<URI_WITHOUT_PASSWORD>" --eval 'db.getSiblingDB("admin").changeUserPassword("<USER>", "<NEW_PASSWORD>")'`,
		Rotate:        "Set a random password, store the URI in a secret manager, redeploy, and restrict the Atlas IP access list.",
		Misuse:        "Check Atlas's Database Access history and the mongod logs (authentication events) for logins from unknown addresses, and the Activity Feed.",
		DocsURL:       "https://www.mongodb.com/docs/manual/reference/connection-string/",
	}
	redis := Remediation{
		What:          "A Redis password (requirepass or an ACL user's) in a connection URI: it reads and writes every key the user can reach, and may run CONFIG or EVAL.",
		RevokeURL:     "https://redis.io/docs/latest/commands/acl-setuser/",
		Revoke:        "Change the password with ACL SETUSER (or CONFIG SET requirepass for the default user) and persist it; on a managed service rotate the auth token in its console.",
		RevokeCommand: `redis-cli -h <HOST> -a <CURRENT_PASSWORD> ACL SETUSER <USER> resetpass '><NEW_PASSWORD>'`,
		Rotate:        "Use a long random password per client, store it in a secret manager, and bind Redis to private networks only.",
		Misuse:        "Check ACL LOG for failed or unexpected authentications, CLIENT LIST for unknown clients, and the keyspace for unexpected keys or deletions.",
		DocsURL:       "https://www.iana.org/assignments/uri-schemes/prov/redis",
	}
	amqp := Remediation{
		What:          "An AMQP (RabbitMQ) password in a connection URI: it publishes to and consumes from the virtual hosts the user can reach.",
		RevokeURL:     "https://www.rabbitmq.com/docs/access-control",
		Revoke:        "Change the user's password with rabbitmqctl change_password (or in the management UI's Admin → Users), or delete the user.",
		RevokeCommand: "rabbitmqctl change_password <USER> <NEW_PASSWORD>",
		Rotate:        "Issue a random password, store it in a secret manager, and grant the user only the vhost permissions it needs.",
		Misuse:        "Check the RabbitMQ log for authentication of the user from unknown addresses and the management UI's Connections page.",
		DocsURL:       "https://www.rabbitmq.com/docs/uri-spec",
	}
	smtp := Remediation{
		What:          "An SMTP password in a connection URI: it sends mail as the account, enabling phishing from your domain.",
		RevokeURL:     "https://myaccount.google.com/apppasswords",
		Revoke:        "Change the mailbox or SMTP credential's password at the mail provider (revoke the app password for Gmail/Workspace; regenerate SMTP credentials for SES, SendGrid or Mailgun).",
		RevokeCommand: "",
		Rotate:        "Create a new SMTP credential dedicated to the application, store it in a secret manager, redeploy, then delete the old one.",
		Misuse:        "Check the provider's sent-mail log or activity report for messages you did not send, and bounce reports.",
		DocsURL:       "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
	}
	jdbc := Remediation{
		What:          "A database password in a JDBC URL: it logs in to the database as the URL's user.",
		RevokeURL:     "https://docs.oracle.com/javase/tutorial/jdbc/basics/connecting.html",
		Revoke:        "Change the database user's password with the database's own command (ALTER USER / ALTER ROLE / ALTER LOGIN) or in the managed service's console, and end its sessions.",
		RevokeCommand: "",
		Rotate:        "Move the password out of the URL into a secret manager or the application server's datasource configuration and inject it at runtime.",
		Misuse:        "Check the database's authentication/audit logs for logins by the user from unknown addresses.",
		DocsURL:       "https://jdbc.postgresql.org/documentation/use/",
	}
	mssql := Remediation{
		What:          "A SQL Server / Azure SQL password in a connection string: it logs in as that login with its server and database roles.",
		RevokeURL:     "https://learn.microsoft.com/en-us/sql/t-sql/statements/alter-login-transact-sql",
		Revoke:        "Change the login's password (ALTER LOGIN … WITH PASSWORD) or reset it in the Azure portal, and kill its sessions.",
		RevokeCommand: `sqlcmd -S <SERVER> -U <ADMIN_LOGIN> -Q "ALTER LOGIN [<LOGIN>] WITH PASSWORD = '<NEW_PASSWORD>'"`,
		Rotate:        "Prefer Microsoft Entra / managed identity authentication; otherwise keep the connection string in Key Vault or app settings, not in the repository.",
		Misuse:        "Check SQL Server audit logs / the error log for successful logins by the login from unknown hosts (Azure SQL: auditing and Defender for SQL alerts).",
		DocsURL:       "https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring",
	}
	basic := Remediation{
		What:          "A password embedded in a URL's user-info (https://user:password@host): it authenticates to that host with HTTP basic auth or the protocol's login.",
		RevokeURL:     "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
		Revoke:        "Change the account's password or revoke the token at the service the URL points to (for Git hosts, revoke the personal access token used as password).",
		RevokeCommand: "",
		Rotate:        "Issue a new credential and pass it through a credential helper, netrc from a secret store or an Authorization header built at runtime, never inside a committed URL.",
		Misuse:        "Check the service's access or audit logs for requests authenticated as the account from unknown addresses.",
		DocsURL:       "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
	}
	conn := func(r Rule) Rule {
		r.Group = 1
		r.MinEntropy = minEntropy
		r.Validators = []Validator{connPassword}
		r.Exempt = DecoyUUID
		r.Confidence = Medium
		return r
	}
	return []Rule{
		conn(Rule{
			ID:          "postgres-connection-uri",
			Provider:    "PostgreSQL",
			Description: "Password in a postgres:// or postgresql:// connection URI (also with a +driver suffix, as in SQLAlchemy). Format: https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS",
			Keywords:    []string{"postgres"},
			Pattern:     connURI(`postgres(?:ql)?(?:\+[a-z0-9]+)?`),
			Remediation: postgres,
			TruePositives: []string{
				`DATABASE_URL=postgres://app_user:c64E18lwplt5SliZIRl1@db.internal.acme.io:5432/app?sslmode=require`,
				`SQLALCHEMY_DATABASE_URI = "postgresql+psycopg2://analytics:0YkZJ4V1Dl0mOmZ7eDF7@10.0.3.14/warehouse"`,
				`  url: "postgresql://svc_billing:WTiueocsvg2zIwaA@billing.cluster-ro.eu-west-1.rds.amazonaws.com:5432/billing"`,
			},
			FalsePositives: []string{
				`DATABASE_URL=postgres://postgres:postgres@localhost:5432/app`,
				`DATABASE_URL=postgres://user:password@localhost/db`,
				`DATABASE_URL=postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:5432/app`,
				`dsn := fmt.Sprintf("postgres://%s:%s@%s/%s", user, pass, host, name)`,
				`url = f"postgresql://{user}:{password}@{host}/{db}"`,
				`DATABASE_URL=postgres://app:<password>@localhost/app`,
				`DATABASE_URL=postgres://localhost:5432/app`,
			},
		}),
		conn(Rule{
			ID:          "mysql-connection-uri",
			Provider:    "MySQL / MariaDB",
			Description: "Password in a mysql://, mysqlx:// or mariadb:// connection URI (also with a +driver suffix). Format: https://dev.mysql.com/doc/refman/8.0/en/connecting-using-uri-or-key-value-pairs.html",
			Keywords:    []string{"mysql", "mariadb"},
			Pattern:     connURI(`mysqlx?(?:\+[a-z0-9]+)?|mariadb(?:\+[a-z0-9]+)?`),
			Remediation: mysql,
			TruePositives: []string{
				`DATABASE_URL=mysql://shop:vAtKifKWaJk3TkzVIq82@mysql.shop.svc:3306/shop`,
				`engine = create_engine("mysql+pymysql://reporting:ELtdR5812QIwypsC@reports-db/reports")`,
				`  datasource: mariadb://wp:NNvVirHudZrtQQuJTWbnnURe@127.0.0.1:3306/wordpress`,
			},
			FalsePositives: []string{
				`DATABASE_URL=mysql://root:root@localhost:3306/app`,
				`DATABASE_URL=mysql://user:pass@localhost/test`,
				`DATABASE_URL=mysql://app:$MYSQL_PASSWORD@db/app`,
				`DATABASE_URL=mysql://app:****@db/app`,
			},
		}),
		conn(Rule{
			ID:          "mongodb-connection-uri",
			Provider:    "MongoDB",
			Description: "Password in a mongodb:// or mongodb+srv:// connection string. Format: https://www.mongodb.com/docs/manual/reference/connection-string/",
			Keywords:    []string{"mongodb"},
			Pattern:     connURI(`mongodb(?:\+srv)?`),
			Remediation: mongo,
			TruePositives: []string{
				`MONGODB_URI=mongodb+srv://api-prod:6t5tbs9xlCZK8HOr@cluster0.x1y2z.mongodb.net/app?retryWrites=true&w=majority`,
				`client = MongoClient("mongodb://admin:xcyikazltDQlENm7@mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0")`,
				`  uri: 'mongodb://ingest:fz5yuTIZgR5n@10.1.2.3:27017/events'`,
			},
			FalsePositives: []string{
				`MONGODB_URI=mongodb+srv://<username>:<password>@cluster0.mongodb.net/test`,
				`MONGODB_URI=mongodb://mongo:mongo@localhost:27017`,
				`MONGODB_URI=mongodb+srv://user:{password}@cluster0.x1y2z.mongodb.net`,
				`MONGODB_URI=mongodb+srv://app:%s@cluster0.x1y2z.mongodb.net`,
			},
		}),
		conn(Rule{
			ID:          "redis-connection-uri",
			Provider:    "Redis",
			Description: "Password in a redis:// or rediss:// URI, with or without a user name (redis://:password@host). Format: https://www.iana.org/assignments/uri-schemes/prov/redis",
			Keywords:    []string{"redis"},
			Pattern:     connURI(`rediss?`),
			Remediation: redis,
			TruePositives: []string{
				`REDIS_URL=redis://:ewhEN9ygsWKJ@cache.internal:6379/0`,
				`CELERY_BROKER_URL = "rediss://default:c8vebMoXNkJXrB7E@eu1-bright-gull-31337.upstash.io:6379"`,
				`  redis: { url: 'redis://worker:8dqJQAO8xd855IIro2eZRlmj@10.0.0.12:6379' }`,
			},
			FalsePositives: []string{
				`REDIS_URL=redis://:redis@localhost:6379`,
				`REDIS_URL=redis://localhost:6379/0`,
				`REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379`,
				`REDIS_URL=redis://:xxxxxx@redis:6379`,
			},
		}),
		conn(Rule{
			ID:          "amqp-connection-uri",
			Provider:    "AMQP / RabbitMQ",
			Description: "Password in an amqp:// or amqps:// URI. Format: https://www.rabbitmq.com/docs/uri-spec",
			Keywords:    []string{"amqp"},
			Pattern:     connURI(`amqps?`),
			Remediation: amqp,
			TruePositives: []string{
				`AMQP_URL=amqps://orders:L7FbUrXCkQ099otN@b-1234.mq.us-east-1.amazonaws.com:5671`,
				`conn, err := amqp.Dial("amqp://events:4oolROTjILl13HTXkGe2@rabbitmq.default.svc:5672/prod")`,
				`  broker_url: amqp://celery:SihlRXz15jhs@mq-01:5672//`,
			},
			FalsePositives: []string{
				`AMQP_URL=amqp://guest:guest@localhost:5672/`,
				`AMQP_URL=amqp://rabbitmq:rabbitmq@rabbitmq:5672`,
				`AMQP_URL=amqp://app:{{ .Values.rabbitmq.password }}@rabbitmq:5672`,
			},
		}),
		conn(Rule{
			ID:          "smtp-connection-uri",
			Provider:    "SMTP",
			Description: "Password in an smtp:// or smtps:// URI, as used by mailer libraries (Nodemailer, Symfony Mailer, Django email URLs). Format: https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
			Keywords:    []string{"smtp"},
			Pattern:     connURI(`smtps?(?:\+[a-z]+)?`),
			Remediation: smtp,
			TruePositives: []string{
				`MAILER_DSN=smtp://apikey:j1V8aiChHR0MFoYyV7AXiSOp@smtp.sendgrid.net:587`,
				`EMAIL_URL=smtps://alerts%40acme.io:UQYjcqH1IMhQBH2LSKdj@smtp.gmail.com:465`,
				`transport: "smtp://ses-smtp-user.20240110:kSEU9wdbOMXlvZSCljxD@email-smtp.eu-west-1.amazonaws.com:587"`,
			},
			FalsePositives: []string{
				`MAILER_DSN=smtp://user:pass@smtp.example.com:25`,
				`MAILER_DSN=smtp://localhost:1025`,
				`MAILER_DSN=smtp://${SMTP_USER}:${SMTP_PASSWORD}@smtp.mailgun.org:587`,
			},
		}),
		conn(Rule{
			ID:          "jdbc-connection-password",
			Provider:    "JDBC",
			Description: "Password parameter in a JDBC URL (jdbc:postgresql://…?user=…&password=…, jdbc:sqlserver://…;password=…). Format: https://jdbc.postgresql.org/documentation/use/",
			Keywords:    []string{"jdbc:"},
			Pattern:     `(?i:jdbc:[a-z0-9]{2,20}(?::[a-z0-9]{1,20})?:)[^\s"'<>]{0,200}?[?&;](?i:password)=([^&;\s"'<>]{1,128})`,
			Remediation: jdbc,
			TruePositives: []string{
				`spring.datasource.url=jdbc:postgresql://db.prod:5432/orders?user=orders&password=G6EURcS4joL2xlA7aFQImDy7&ssl=true`,
				`String url = "jdbc:sqlserver://sql01.corp.local:1433;databaseName=hr;user=hr_app;password=ZqkZuChmu5Uci5dGGLkct0t7;encrypt=true";`,
				`  <property name="url" value="jdbc:mysql://10.4.0.7:3306/crm?useSSL=true&amp;user=crm&amp;password=WYBHumuXZW6FYCU4"/>`,
			},
			FalsePositives: []string{
				`spring.datasource.url=jdbc:postgresql://localhost:5432/test?user=test&password=test`,
				`spring.datasource.url=jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}`,
				`spring.datasource.url=jdbc:postgresql://db:5432/app`,
				`url = "jdbc:mysql://db/app?user=app&password=" + password`,
			},
		}),
		conn(Rule{
			ID:          "sqlserver-connection-uri",
			Provider:    "SQL Server",
			Description: "Password in a sqlserver:// or mssql:// URI (Go go-mssqldb, Node mssql, SQLAlchemy mssql+pyodbc). Format: https://github.com/microsoft/go-mssqldb#connection-parameters-and-dsn",
			Keywords:    []string{"sqlserver://", "mssql"},
			Pattern:     connURI(`sqlserver|mssql(?:\+[a-z0-9]+)?`),
			Remediation: mssql,
			TruePositives: []string{
				`MSSQL_URL=sqlserver://etl:kn2AmyWSlqctTZuAi32dKUqy@sql.corp.local:1433?database=staging`,
				`engine = create_engine("mssql+pyodbc://report:3ysWesoo7PKc3LbMEcR9@dsn_reports")`,
				`  connectionString: 'mssql://api:Z4OxzZixrUC5@10.20.0.5/api'`,
			},
			FalsePositives: []string{
				`MSSQL_URL=sqlserver://sa:sa@localhost:1433`,
				`MSSQL_URL=sqlserver://user:password@localhost:1433?database=master`,
				`MSSQL_URL=sqlserver://app:$(DB_PASS)@db:1433`,
			},
		}),
		conn(Rule{
			ID:          "dotnet-connection-string",
			Provider:    "ADO.NET / ODBC",
			Description: "Password or Pwd in a key=value connection string (Server=…;User Id=…;Password=…), as in appsettings.json, web.config and ODBC DSNs. Format: https://learn.microsoft.com/en-us/dotnet/api/system.data.sqlclient.sqlconnection.connectionstring",
			Keywords:    []string{"password=", "pwd=", "password =", "pwd ="},
			Precheck:    semicolonPassword,
			Pattern:     `(?i:(?:server|data source|datasource|host|hostname|address|addr|initial catalog|database|dbname|uid|user id|userid|user|username|driver|dsn)\s*=\s*[^;"'\r\n]{1,100};\s*(?:[a-z][a-z ]{0,30}=[^;"'\r\n]{0,100};\s*){0,10}(?:password|pwd)\s*=\s*)([^;"'\s<>]{1,128})`,
			Remediation: mssql,
			TruePositives: []string{
				`"DefaultConnection": "Server=tcp:acme-prod.database.windows.net,1433;Initial Catalog=orders;User ID=orders_app;Password=c64E18lwplt5SliZIRl1;Encrypt=True;"`,
				`<add name="Main" connectionString="Data Source=SQL01;Initial Catalog=HR;User Id=hr;Pwd=vAtKifKWaJk3TkzVIq82;" providerName="System.Data.SqlClient" />`,
				`conn = pyodbc.connect("DRIVER={ODBC Driver 18 for SQL Server};SERVER=10.0.0.9;DATABASE=erp;UID=erp_ro;PWD=ELtdR5812QIwypsC")`,
			},
			FalsePositives: []string{
				`"DefaultConnection": "Server=myServerAddress;Database=myDataBase;User Id=myUsername;Password=myPassword;"`,
				`"DefaultConnection": "Server=(localdb)\\mssqllocaldb;Database=app;Trusted_Connection=True;"`,
				`"DefaultConnection": "Server=db;Database=app;User Id=sa;Password={0};"`,
				`"DefaultConnection": "Server=db;Database=app;User Id=app;Password=$(SQL_PASSWORD);"`,
			},
		}),
		conn(Rule{
			ID:          "url-basic-auth",
			Provider:    "URL credentials",
			Description: "Password in the user-info of an http(s), ftp, sftp, ssh, git, svn, ldap or ws(s) URL (https://user:password@host). Format: https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
			Keywords:    []string{"://"},
			Pattern:     connURI(`https?|ftps?|sftp|ssh|git|svn|ldaps?|wss?`),
			Remediation: basic,
			TruePositives: []string{
				`git clone https://deploy-bot:6t5tbs9xlCZK8HOr@git.acme.io/platform/infra.git`,
				`PIP_INDEX_URL=https://ci:L7FbUrXCkQ099otN@pypi.internal.acme.io/simple/`,
				`  proxy: "http://svc-proxy:fz5yuTIZgR5n@proxy.corp.local:3128"`,
			},
			FalsePositives: []string{
				`HTTP_PROXY=http://username:password@proxy:3128`,
				`url = "https://user:pass@example.com/path"`,
				`git clone https://${GITHUB_TOKEN}@github.com/acme/repo.git`,
				`see https://github.com/acme/repo/blob/main/README.md#setup`,
				`url = "https://%s:%s@%s" % (user, pw, host)`,
			},
		}),
	}
}

// semicolonPassword is the dotnet-connection-string rule's precheck: its
// Password= or Pwd= key follows a ';' and optional white space.
func semicolonPassword(line []byte) bool {
	for i := bytes.IndexByte(line, ';'); i >= 0; {
		j := i + 1
		for j < len(line) && (line[j] == ' ' || line[j] == '\t' || line[j] == '\n' || line[j] == '\f' || line[j] == '\r') {
			j++
		}
		rest := line[j:]
		if hasPrefixFold(rest, "password") || hasPrefixFold(rest, "pwd") {
			return true
		}
		k := bytes.IndexByte(rest, ';')
		if k < 0 {
			return false
		}
		i = j + k
	}
	return false
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if b[i]|0x20 != prefix[i] {
			return false
		}
	}
	return true
}
