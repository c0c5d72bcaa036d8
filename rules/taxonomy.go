package rules

import "strings"

// Taxonomy names are reported in SARIF taxonomies so that a dashboard shows "T1041
// Exfiltration Over C2 Channel" rather than a bare id. Ids not listed here are still valid in
// packs; they are reported with the id as their name.

var attackNames = map[string]string{
	"T1001": "Data Obfuscation", "T1005": "Data from Local System", "T1008": "Fallback Channels",
	"T1010": "Application Window Discovery", "T1012": "Query Registry", "T1016": "System Network Configuration Discovery",
	"T1018": "Remote System Discovery", "T1020": "Automated Exfiltration", "T1025": "Data from Removable Media",
	"T1027": "Obfuscated Files or Information", "T1027.013": "Encrypted/Encoded File",
	"T1029": "Scheduled Transfer", "T1030": "Data Transfer Size Limits", "T1033": "System Owner/User Discovery",
	"T1036": "Masquerading", "T1039": "Data from Network Shared Drive", "T1041": "Exfiltration Over C2 Channel",
	"T1047": "Windows Management Instrumentation", "T1048": "Exfiltration Over Alternative Protocol",
	"T1049": "System Network Connections Discovery", "T1053": "Scheduled Task/Job", "T1055": "Process Injection",
	"T1056": "Input Capture", "T1056.001": "Keylogging", "T1057": "Process Discovery",
	"T1059": "Command and Scripting Interpreter", "T1069": "Permission Groups Discovery",
	"T1070.004": "File Deletion", "T1071": "Application Layer Protocol", "T1071.001": "Web Protocols",
	"T1071.002": "File Transfer Protocols", "T1071.003": "Mail Protocols", "T1071.004": "DNS",
	"T1074": "Data Staged", "T1082": "System Information Discovery", "T1083": "File and Directory Discovery",
	"T1087": "Account Discovery", "T1090": "Proxy", "T1095": "Non-Application Layer Protocol",
	"T1102": "Web Service", "T1105": "Ingress Tool Transfer", "T1106": "Native API", "T1112": "Modify Registry",
	"T1113": "Screen Capture", "T1115": "Clipboard Data", "T1119": "Automated Collection",
	"T1120": "Peripheral Device Discovery", "T1123": "Audio Capture", "T1124": "System Time Discovery",
	"T1125": "Video Capture", "T1129": "Shared Modules", "T1132": "Data Encoding",
	"T1140": "Deobfuscate/Decode Files or Information", "T1195.002": "Compromise Software Supply Chain",
	"T1217": "Browser Information Discovery", "T1219": "Remote Access Software", "T1480": "Execution Guardrails",
	"T1485": "Data Destruction", "T1489": "Service Stop", "T1497": "Virtualization/Sandbox Evasion",
	"T1518": "Software Discovery", "T1518.001": "Security Software Discovery", "T1529": "System Shutdown/Reboot",
	"T1543.003": "Windows Service", "T1552.001": "Credentials In Files", "T1555": "Credentials from Password Stores",
	"T1560": "Archive Collected Data", "T1562.001": "Disable or Modify Tools", "T1567": "Exfiltration Over Web Service",
	"T1568": "Dynamic Resolution", "T1569.002": "Service Execution", "T1571": "Non-Standard Port",
	"T1573": "Encrypted Channel", "T1614": "System Location Discovery", "T1614.001": "System Language Discovery",
	"T1620": "Reflective Code Loading", "T1649": "Steal or Forge Authentication Certificates",
}

var cweNames = map[string]string{
	"CWE-15":  "External Control of System or Configuration Setting",
	"CWE-22":  "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
	"CWE-73":  "External Control of File Name or Path",
	"CWE-77":  "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
	"CWE-78":  "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
	"CWE-94":  "Improper Control of Generation of Code ('Code Injection')",
	"CWE-114": "Process Control", "CWE-200": "Exposure of Sensitive Information to an Unauthorized Actor",
	"CWE-201": "Insertion of Sensitive Information Into Sent Data",
	"CWE-306": "Missing Authentication for Critical Function",
	"CWE-311": "Missing Encryption of Sensitive Data", "CWE-319": "Cleartext Transmission of Sensitive Information",
	"CWE-359": "Exposure of Private Personal Information to an Unauthorized Actor",
	"CWE-494": "Download of Code Without Integrity Check",
	"CWE-497": "Exposure of Sensitive System Information to an Unauthorized Control Sphere",
	"CWE-506": "Embedded Malicious Code", "CWE-507": "Trojan Horse",
	"CWE-547": "Use of Hard-coded, Security-relevant Constants",
	"CWE-656": "Reliance on Security Through Obscurity", "CWE-668": "Exposure of Resource to Wrong Sphere",
	"CWE-749": "Exposed Dangerous Method or Function", "CWE-798": "Use of Hard-coded Credentials",
	"CWE-829": "Inclusion of Functionality from Untrusted Control Sphere", "CWE-912": "Hidden Functionality",
}

// AttackName returns the name of an ATT&CK technique, or "" when glassbox does not know it.
func AttackName(id string) string { return attackNames[id] }

// CWEName returns the name of a CWE weakness, or "" when glassbox does not know it.
func CWEName(id string) string { return cweNames[id] }

// AttackURL is the technique's page on attack.mitre.org ("T1027.013" → .../T1027/013/).
func AttackURL(id string) string {
	return "https://attack.mitre.org/techniques/" + strings.ReplaceAll(id, ".", "/") + "/"
}

// CWEURL is the weakness's page on cwe.mitre.org.
func CWEURL(id string) string {
	return "https://cwe.mitre.org/data/definitions/" + strings.TrimPrefix(id, "CWE-") + ".html"
}
