// jobs-bench: end-to-end no-op job throughput (enqueue → claim → complete). See JobsBench.swift.
import Foundation

exit(JobsBench.run(arguments: Array(CommandLine.arguments.dropFirst())))
