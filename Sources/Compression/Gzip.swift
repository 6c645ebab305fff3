public enum Gzip {}
