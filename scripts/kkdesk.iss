; Inno Setup script for kkdesk (Windows). See docs/windows.md.
;
; Build the bundle first (pyinstaller --noconfirm build.spec -> dist\kkdesk\), then:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 scripts\kkdesk.iss
; Output: dist\kkdesk-<version>-setup.exe
;
; Installs per user into %LOCALAPPDATA%\Programs\kkdesk: no administrator rights needed.
; IT can still install for all users with "kkdesk-<version>-setup.exe /ALLUSERS" (then
; into Program Files, which needs administrator rights). User data is never touched by
; installing, updating or uninstalling: it lives in %LOCALAPPDATA%\kkdesk\kkdesk.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; A fixed AppId: updates replace the installed version instead of installing beside it.
AppId={{6B1E7C52-3A0F-4B8E-9C1D-7F2A5E4B9D10}
AppName=kkdesk
AppVersion={#AppVersion}
AppVerName=kkdesk {#AppVersion}
AppPublisher=Københavns Kommune
DefaultDirName={autopf}\kkdesk
DefaultGroupName=kkdesk
DisableProgramGroupPage=yes
; Per-user by default (no UAC prompt); /ALLUSERS or the dialog can choose all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=kkdesk-{#AppVersion}-setup
SetupIconFile=resources\icons\kkdesk.ico
UninstallDisplayIcon={app}\kkdesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; kkdesk must be closed before its files are replaced.
CloseApplications=yes

[Languages]
Name: "danish"; MessagesFile: "compiler:Languages\Danish.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Files from an older version that the new one no longer has.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\kkdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\kkdesk"; Filename: "{app}\kkdesk.exe"; Comment: "Politikerspørgsmål og svar"
Name: "{autodesktop}\kkdesk"; Filename: "{app}\kkdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\kkdesk.exe"; Description: "{cm:LaunchProgram,kkdesk}"; Flags: nowait postinstall skipifsilent
