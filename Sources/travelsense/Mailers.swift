import Kernel
import Mail

/// The mail transport the configuration names: SMTP when `SMTP_URL` is set, else `.eml` files in
/// `MAIL_DIR`, else none (mail jobs then fail and retry, saying why).
enum Mailers {
    static func make(_ config: AppConfig) throws -> (any Mailer)? {
        if let url = config.auth.smtpURL { return SMTPMailer(configuration: try SMTPConfiguration(url: url)) }
        if let directory = config.auth.mailDirectory { return FileMailer(directory: directory) }
        return nil
    }
}
